@resilience
Feature: Ordered topics
  A server forwards one publisher's messages on a topic, at one QoS, in the order it received
  them. With one message in flight at a time the history proves the order the server saw, even
  when lost acknowledgements force resends (which may repeat an earlier message, never reorder
  a fresh one).

  @MQTT-4.6.0-5 @MQTT-4.6.0-6
  Scenario Outline: one publisher's QoS <qos> messages arrive in order despite lost acknowledgements
    Given a resilience run with seed 606
    And device "dashboard" subscribes to "fleet/+/odometer" at QoS <qos>
    When the proxy drops every PUBACK and PUBREC to device "sensor-1" for 1 seconds
    And device "sensor-1" publishes 30 QoS <qos> messages to "fleet/sensor-1/odometer" one at a time
    Then each publisher's messages arrive in order

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
