@resilience
Feature: Persistent sessions resume
  A subscriber with a persistent session that goes away keeps its subscriptions; QoS 1 and 2
  messages published meanwhile are queued and delivered when it comes back, and the server
  says Session Present.

  @MQTT-3.1.2-5 @MQTT-4.4.0-1
  Scenario Outline: QoS <qos> messages queued while the subscriber was away are delivered after it resumes
    Given a resilience run with seed 1212
    And device "dashboard" subscribes to "fleet/+/log" at QoS <qos> with a persistent session
    When device "dashboard" crashes
    And device "sensor-1" publishes 25 QoS <qos> messages to "fleet/sensor-1/log"
    And device "dashboard" reconnects
    Then queued messages are delivered after the session resumes

    @v3.1.1 @MQTT-3.2.2-2
    Examples:
      | version | qos |
      | 3.1.1   | 1   |
      | 3.1.1   | 2   |

    @v5 @MQTT-3.1.2-23 @MQTT-3.2.2-3
    Examples:
      | version | qos |
      | 5       | 1   |
      | 5       | 2   |
