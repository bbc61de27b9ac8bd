@depth
Feature: 1,000 subscriptions on one client
  One client makes 1,000 subscriptions, each SUBSCRIBE sent without waiting; every one is
  granted, and one message published to each of the 1,000 topics reaches the client once.

  Scenario Outline: 1,000 subscriptions are all granted and all deliver
    Given client "sub" connected
    When "sub" subscribes to 1000 topic filters "depth/many/{i}" with qos 1
    And "sub" acknowledges and counts up to 1000 messages "s" on "depth/many/{i}"
    And client "pub" connected
    And "pub" publishes 1000 messages "s" to "depth/many/{i}" with qos 1 without waiting
    Then the broker acknowledged all 1000 messages of "pub"
    And "sub" receives exactly the 1000 messages "s" on "depth/many/{i}" with qos 1 within 10 s

    @v3.1.1 @MQTT-3.8.4-5 @MQTT-4.5.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.8.4-6 @MQTT-4.5.0-1
    Examples: MQTT 5
      | version |
      | 5       |
