@resilience @negative-control
Feature: Negative control: the checkers catch a broker that breaks its guarantees
  These scenarios run a private embedded broker in a deliberately wrong mode (whatever the
  target is) and pass only when the checker reports the violation with a witness naming the
  message. They test the harness, not the target.

  @MQTT-4.5.0-1
  Scenario Outline: losing every 5th QoS 1 delivery is caught
    Given a resilience run with seed 55
    And a broker that loses every 5th QoS 1 delivery
    And device "dashboard" subscribes to "fleet/+/temp" at QoS 1
    When device "sensor-1" publishes 20 QoS 1 messages to "fleet/sensor-1/temp"
    Then the "qos1-at-least-once" checker finds a violation naming the lost message

    @v3.1.1
    Examples:
      | version |
      | 3.1.1   |

    @v5
    Examples:
      | version |
      | 5       |

  Scenario Outline: delivering QoS 2 messages twice is caught
    Given a resilience run with seed 56
    And a broker that delivers every QoS 2 message twice
    And device "dashboard" subscribes to "fleet/+/alarm" at QoS 2
    When device "sensor-1" publishes 5 QoS 2 messages to "fleet/sensor-1/alarm"
    Then the "qos2-exactly-once" checker finds a violation naming the duplicated message

    @v3.1.1 @MQTT-4.3.3-2
    Examples:
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.3-10
    Examples:
      | version |
      | 5       |
