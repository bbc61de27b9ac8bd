@depth
Feature: 10,000 messages queued for an offline session
  While a persistent session's client is away, the broker keeps every QoS 1 message that
  matches its subscriptions; on resumption all 10,000 arrive, once each, in publishing order.
  A broker whose configured queue limit is below 10,000 fails this scenario: the statement
  leaves no room for dropping, though the spec's non-normative 4.1 expects storage limits
  (mosquitto: max_queued_messages, default 1000).

  @v3.1.1 @MQTT-3.1.2-5 @MQTT-4.6.0-6
  Scenario: 3.1.1: 10,000 QoS 1 messages queued while the CleanSession 0 client is away all arrive
    Given client "sub" connected with clean session false
    And "sub" subscribed to "depth/offline" with qos 1
    When "sub" disconnects
    And client "pub" connected
    And "pub" publishes 10000 messages "q" to "depth/offline" with qos 1 without waiting
    Then the broker acknowledged all 10000 messages of "pub"
    When "sub" connects with clean session false
    Then "sub" receives CONNACK session present true within 2 s
    And "sub" receives exactly the 10000 messages "q" on "depth/offline" with qos 1 in order within 20 s

  @v5 @MQTT-3.1.2-23 @MQTT-4.5.0-1 @MQTT-4.6.0-5
  Scenario: 5.0: 10,000 QoS 1 messages queued while the client is away (Session Expiry 300) all arrive
    Given client "sub" connected with clean start false and session expiry 300
    And "sub" subscribed to "depth/offline" with qos 1
    When "sub" disconnects
    And client "pub" connected
    And "pub" publishes 10000 messages "q" to "depth/offline" with qos 1 without waiting
    Then the broker acknowledged all 10000 messages of "pub"
    When "sub" connects with clean start false and session expiry 300
    Then "sub" receives CONNACK session present true within 2 s
    And "sub" receives exactly the 10000 messages "q" on "depth/offline" with qos 1 in order within 20 s
