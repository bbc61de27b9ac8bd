@resilience
Feature: Retained messages: the last value wins
  A new subscription is sent the topic's retained message, and it is the last one retained
  before the subscription began (overlapping publishes may legitimately win either way).

  @MQTT-3.3.1-5 @MQTT-3.3.1-6
  Scenario Outline: a late subscriber gets the last retained QoS <qos> value over a slow link
    Given a resilience run with seed 5150
    And the link between device "config-svc" and the broker is "lte"
    When device "config-svc" publishes 4 retained QoS <qos> messages to "fleet/config" one at a time
    And device "late-sensor" subscribes to "fleet/config" at QoS <qos>
    Then a new subscriber gets the last retained value

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
