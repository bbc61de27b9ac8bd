@v5 @subscription-options
Feature: Subscription options and Subscription Identifiers
  No Local keeps a client's own messages from coming back to it; Retain As Published decides
  whether forwarded messages keep the RETAIN flag they were published with. A Subscription
  Identifier given in SUBSCRIBE comes back on every message delivered through that subscription,
  and a message matching several identified subscriptions carries all their identifiers, in one
  PUBLISH or spread over one PUBLISH per subscription.

  @MQTT-3.8.3-3
  Scenario: with No Local a client does not receive its own messages, but receives others'
    Given client "A" connected
    And client "B" connected
    When "A" sends SUBSCRIBE packet id 1 topic filter "so/nl" qos 1 no local true
    Then "A" receives SUBACK packet id 1 reason codes [1] within 2 s
    When "A" publishes "own" to "so/nl" with qos 1
    And "B" publishes "other" to "so/nl" with qos 1
    Then "A" receives message "other" on "so/nl" within 2 s
    And "A" receives no message for 300 ms

  @MQTT-3.8.3-3 @requires:wildcardSubscriptions
  Scenario: No Local applies per subscription: an overlapping subscription without it still delivers
    Given client "A" connected
    When "A" sends SUBSCRIBE packet id 1 topic filter "so/mix/+" qos 0 no local true topic filter "so/mix/#" qos 0
    Then "A" receives SUBACK packet id 1 reason codes [0, 0] within 2 s
    When "A" publishes "mine" to "so/mix/x"
    Then "A" receives message "mine" on "so/mix/x" within 2 s

  @MQTT-3.8.3-3
  Scenario: No Local also holds for messages queued while the client was away
    Given client "A" connected with session expiry 60
    When "A" sends SUBSCRIBE packet id 1 topic filter "so/nlq" qos 1 no local true
    Then "A" receives SUBACK packet id 1 reason codes [1] within 2 s
    When "A" publishes "own-then-leave" to "so/nlq" with qos 1
    And "A" disconnects
    And "A" connects with clean start false and session expiry 60
    Then "A" receives CONNACK reason code 0 session present true within 2 s
    And "A" receives no message for 500 ms

  @requires:retain
  Scenario Outline: Retain As Published <rap> forwards a retained publication with RETAIN <flag>
    Given client "sub" connected
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/rap" qos 0 retain as published <rap>
    Then "sub" receives SUBACK packet id 1 reason codes [0] within 2 s
    Given client "pub" connected
    When "pub" publishes "r" to "so/rap" retained
    Then "sub" receives PUBLISH topic "so/rap" payload "r" retain <flag> within 2 s

    @MQTT-3.3.1-12
    Examples: not as published
      | rap   | flag  |
      | false | false |

    @MQTT-3.3.1-13
    Examples: as published
      | rap  | flag |
      | true | true |

  @MQTT-3.3.1-13 @requires:retain
  Scenario: Retain As Published forwards a non-retained publication with RETAIN 0
    Given client "sub" connected
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/rap0" qos 0 retain as published true
    Then "sub" receives SUBACK packet id 1 reason codes [0] within 2 s
    Given client "pub" connected
    When "pub" publishes "plain" to "so/rap0"
    Then "sub" receives PUBLISH topic "so/rap0" payload "plain" retain false within 2 s

  @MQTT-3.3.4-3 @MQTT-3.3.4-5
  Scenario: a message delivered through an identified subscription carries its identifier
    Given the broker supports subscriptionIdentifiers
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/id" qos 1 subscription identifier 5
    Then "sub" receives SUBACK packet id 1 reason codes [1] within 2 s
    Given client "pub" connected
    When "pub" publishes "with-id" to "so/id" with qos 1
    Then "sub" receives PUBLISH topic "so/id" payload "with-id" subscription identifiers [5] within 2 s

  @MQTT-3.3.4-3 @MQTT-3.3.4-4 @MQTT-3.3.4-5 @requires:wildcardSubscriptions
  Scenario: overlapping identified subscriptions deliver every matching identifier
    Given the broker supports subscriptionIdentifiers
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/ov/+" qos 1 subscription identifier 1
    And "sub" sends SUBSCRIBE packet id 2 topic filter "so/ov/#" qos 1 subscription identifier 268435455
    Then "sub" receives SUBACK packet id 2 reason codes [1] within 2 s
    Given client "pub" connected
    When "pub" publishes "both" to "so/ov/x" with qos 1
    Then "sub" receives the message "both" with subscription identifiers 1 and 268435455 within 2 s

  @MQTT-3.3.4-3 @MQTT-3.3.4-4 @MQTT-3.3.4-5 @requires:wildcardSubscriptions
  Scenario: of overlapping subscriptions only the identified one contributes an identifier
    Given the broker supports subscriptionIdentifiers
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/half/+" qos 0 subscription identifier 9
    And "sub" sends SUBSCRIBE packet id 2 topic filter "so/half/#" qos 0
    Then "sub" receives SUBACK packet id 2 reason codes [0] within 2 s
    Given client "pub" connected
    When "pub" publishes "half" to "so/half/x"
    Then "sub" receives the message "half" with subscription identifiers 9 within 2 s

  @MQTT-3.3.4-3 @MQTT-3.3.4-5
  Scenario: two subscribers with different identifiers each get their own
    Given the broker supports subscriptionIdentifiers
    And client "s1" connected
    And client "s2" connected
    When "s1" sends SUBSCRIBE packet id 1 topic filter "so/two" qos 0 subscription identifier 11
    And "s2" sends SUBSCRIBE packet id 1 topic filter "so/two" qos 0 subscription identifier 22
    Then "s1" receives SUBACK packet id 1 within 2 s
    And "s2" receives SUBACK packet id 1 within 2 s
    Given client "pub" connected
    When "pub" publishes "each" to "so/two"
    Then "s1" receives PUBLISH topic "so/two" payload "each" subscription identifiers [11] within 2 s
    And "s2" receives PUBLISH topic "so/two" payload "each" subscription identifiers [22] within 2 s

  @MQTT-3.3.4-3 @MQTT-3.8.4-3
  Scenario: subscribing again replaces the identifier, and subscribing again without one removes it
    Given the broker supports subscriptionIdentifiers
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/re" qos 0 subscription identifier 3
    And "sub" sends SUBSCRIBE packet id 2 topic filter "so/re" qos 0 subscription identifier 4
    Then "sub" receives SUBACK packet id 2 reason codes [0] within 2 s
    Given client "pub" connected
    When "pub" publishes "second" to "so/re"
    Then "sub" receives PUBLISH topic "so/re" payload "second" subscription identifiers [4] within 2 s
    When "sub" sends SUBSCRIBE packet id 3 topic filter "so/re" qos 0
    Then "sub" receives SUBACK packet id 3 reason codes [0] within 2 s
    When "pub" publishes "third" to "so/re"
    Then "sub" receives PUBLISH topic "so/re" payload "third" within 2 s
    And the last PUBLISH "sub" received has no subscription identifiers

  @MQTT-3.3.4-3 @requires:retain
  Scenario: a retained message sent on subscribing carries the new subscription's identifier
    Given the broker supports subscriptionIdentifiers
    And client "pub" connected
    When "pub" publishes "stored" to "so/rid" retained
    Given client "sub" connected
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/rid" qos 0 subscription identifier 77
    Then "sub" receives PUBLISH topic "so/rid" payload "stored" retain true subscription identifiers [77] within 2 s

  @MQTT-3.3.4-3
  Scenario: a message queued for an offline session carries the subscription's identifier
    Given the broker supports subscriptionIdentifiers
    And client "sub" connected with session expiry 60
    When "sub" sends SUBSCRIBE packet id 1 topic filter "so/qid" qos 1 subscription identifier 1234
    Then "sub" receives SUBACK packet id 1 reason codes [1] within 2 s
    When "sub" disconnects
    And client "pub" connected
    And "pub" publishes "queued" to "so/qid" with qos 1
    And "sub" connects with clean start false and session expiry 60
    Then "sub" receives PUBLISH topic "so/qid" payload "queued" subscription identifiers [1234] within 2 s

  @MQTT-4.13.1-1
  Scenario: Subscription Identifier 0 is a protocol error
    Given client "A" connected
    # SUBSCRIBE packet id 1, properties: Subscription Identifier (0x0B) = 0, filter "v5h/z", options QoS 0
    When "A" sends raw "82 0b 00 01 02 0b 00 00 05 76 35 68 2f 7a 00"
    Then the connection of "A" is closed within 2 s, with reason code 0x82 or 0x81 if the broker sends one
    And "A" receives nothing like SUBACK for 100 ms

  @MQTT-4.13.1-1
  Scenario: a Subscription Identifier sent to a broker without them ends the connection with 0xA1
    Given the broker's CONNACK declares subscription identifier available 0
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 1 topic filter "so/noid" qos 0 subscription identifier 1
    Then the connection of "A" is closed within 2 s, with reason code 0xA1 if the broker sends one

  # 3.8.3-4 makes No Local on a shared subscription the client's Protocol Error: the receiver closes.
  @MQTT-4.13.1-1
  Scenario: No Local on a shared subscription is a protocol error
    Given the broker supports sharedSubscriptions
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 1 topic filter "$share/grp/so/shared" qos 0 no local true
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    And "A" receives nothing like SUBACK reason codes [0] for 100 ms
