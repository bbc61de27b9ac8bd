@depth
Feature: 10,000 retained topics matched by one wildcard subscription
  10,000 retained messages on distinct topics; one subscription to a wildcard filter that
  matches them all is sent every one of them, once, with RETAIN 1.

  Scenario Outline: a wildcard subscription receives all 10,000 retained messages
    Given client "pub" connected
    When "pub" publishes 10000 messages "r" to "depth/ret/{i}" with qos 1 retained without waiting
    Then the broker acknowledged all 10000 messages of "pub"
    Given client "sub" connected
    And "sub" acknowledges and counts up to 10000 messages "r" on "depth/ret/{i}"
    When "sub" subscribes to "depth/ret/+" with qos 1
    Then "sub" receives exactly the 10000 messages "r" on "depth/ret/{i}" with qos 1 within 20 s

    @v3.1.1 @MQTT-3.3.1-5 @MQTT-3.3.1-6 @requires:retain @requires:wildcardSubscriptions
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-5 @MQTT-3.3.1-9 @requires:retain @requires:wildcardSubscriptions
    Examples: MQTT 5
      | version |
      | 5       |
