@resilience
Feature: QoS 1 is delivered at least once over flaky links
  Virtual devices publish through a fault-injecting proxy; the qos1-at-least-once checker
  reads the recorded history and demands that every acknowledged QoS 1 message reaches every
  subscriber whose subscription existed when it was published. Lost acknowledgements make
  the device reconnect and resend with DUP set; duplicates are allowed, losses are not.
  Durations are scaled by MQTT_RESILIENCE_TIME_SCALE (default 0.1: "10 seconds" lasts 1 s).

  @MQTT-4.5.0-1 @MQTT-4.4.0-1
  Scenario Outline: QoS 1 survives lost acknowledgements
    Given a resilience run with seed 4242
    And the link between "sensor-1" and the broker is "flaky-cellular"
    And device "dashboard" subscribes to "fleet/+/temp" at QoS 1
    And "sensor-1" starts publishing 200 QoS 1 messages to "fleet/sensor-1/temp", one every 10 ms
    When the proxy drops every PUBACK for 10 seconds
    Then every QoS 1 message is delivered at least once

    @v3.1.1 @MQTT-4.3.2-1 @MQTT-4.3.2-2
    Examples:
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.2-3 @MQTT-4.3.2-4
    Examples:
      | version |
      | 5       |

  @MQTT-4.5.0-1 @MQTT-4.4.0-1 @MQTT-3.1.2-5
  Scenario Outline: a persistent-session subscriber gets every QoS 1 message across link outages
    Given a resilience run with seed 77
    And device "dashboard" subscribes to "fleet/+/temp" at QoS 1 with a persistent session
    When the link of device "dashboard" goes down for 500 ms every 2000 ms, 2 times
    And device "sensor-2" publishes 40 QoS 1 messages to "fleet/sensor-2/temp", one every 100 ms
    Then every QoS 1 message is delivered at least once

    @v3.1.1
    Examples:
      | version |
      | 3.1.1   |

    @v5
    Examples:
      | version |
      | 5       |
