@resilience
Feature: Last Will
  The will is published when a connection ends without DISCONNECT (here: the proxy resets the
  link), and is discarded after a normal DISCONNECT.

  @MQTT-3.1.2-8
  Scenario Outline: a QoS <qos> will is published when the link is cut
    Given a resilience run with seed 88
    And device "monitor" subscribes to "fleet/+/status" at QoS 1
    And the link between device "sensor-1" and the broker has 5 ms latency with 0 ms jitter
    And device "sensor-1" is connected with a will on "fleet/sensor-1/status" at QoS <qos>
    When the link of device "sensor-1" is cut
    Then device "monitor" received the will of device "sensor-1"
    And the last will is published exactly when the connection did not end normally

    @v3.1.1
    Examples:
      | version | qos |
      | 3.1.1   | 0   |
      | 3.1.1   | 1   |
      | 3.1.1   | 2   |

    @v5
    Examples:
      | version | qos |
      | 5       | 0   |
      | 5       | 1   |
      | 5       | 2   |

  @MQTT-3.1.2-10 @MQTT-3.14.4-3
  Scenario Outline: no will after a normal DISCONNECT
    Given a resilience run with seed 89
    And device "monitor" subscribes to "fleet/+/status" at QoS 1
    And device "sensor-1" is connected with a will on "fleet/sensor-1/status" at QoS 1
    When device "sensor-1" disconnects normally
    And the scenario waits 3000 ms
    Then device "monitor" received no will of device "sensor-1"
    And the last will is published exactly when the connection did not end normally

    @v3.1.1
    Examples:
      | version |
      | 3.1.1   |

    @v5
    Examples:
      | version |
      | 5       |
