@retain
Feature: The RETAIN flag on forwarded messages, Retain As Published and Retain Handling
  A message forwarded to an existing subscription carries RETAIN 0 at 3.1.1, and at 5.0
  unless the subscription asked for Retain As Published, in which case the flag is copied
  from the PUBLISH the server received. At 5.0 Retain Handling chooses whether retained
  messages are sent on subscribing: 0 always, 1 only for a new subscription, 2 never.

  Scenario Outline: a retained PUBLISH reaches an existing subscription with RETAIN 0
    Given the broker supports retain
    And client "sub" connected
    And "sub" subscribed to "fw/t" with qos 1
    And client "pub" connected
    When "pub" publishes "live" to "fw/t" with qos 1 retained
    Then "sub" receives PUBLISH topic "fw/t" qos 1 payload "live" retain false within 2 s

    @v3.1.1 @MQTT-3.3.1-9
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-12
    Examples: MQTT 5
      | version |
      | 5       |

  @v5 @MQTT-3.3.1-12
  Scenario: with Retain As Published 0 set explicitly, a retained PUBLISH is forwarded with RETAIN 0
    Given the broker supports retain
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 61 topic filter "fr/t" qos 1 retain as published false
    And "sub" receives SUBACK packet id 61 reason codes [1] within 2 s
    Given client "pub" connected
    When "pub" publishes "live" to "fr/t" with qos 1 retained
    Then "sub" receives PUBLISH topic "fr/t" qos 1 payload "live" retain false within 2 s

  Scenario Outline: with Retain As Published 1, the forwarded RETAIN flag is the published one (<retain>)
    Given the broker supports retain
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 62 topic filter "fa/t" qos 1 retain as published true
    And "sub" receives SUBACK packet id 62 reason codes [1] within 2 s
    Given client "pub" connected
    When "pub" sends PUBLISH topic "fa/t" qos 1 packet id 3 payload "live" retain <retain>
    And "pub" receives PUBACK packet id 3 within 2 s
    Then "sub" receives PUBLISH topic "fa/t" qos 1 payload "live" retain <retain> within 2 s

    @v5 @MQTT-3.3.1-13
    Examples: MQTT 5
      | retain |
      | true   |
      | false  |

  @v5 @MQTT-3.3.1-13
  Scenario: Retain As Published does not stop retained messages sent on subscribing from carrying RETAIN 1
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "stored" to "fs/t" with qos 1 retained
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 63 topic filter "fs/t" qos 1 retain as published true
    Then "sub" receives SUBACK packet id 63 reason codes [1] within 2 s
    And "sub" receives PUBLISH topic "fs/t" payload "stored" retain true within 2 s

  @v5 @MQTT-3.3.1-9 @MQTT-3.8.4-4
  Scenario: Retain Handling 0 sends the retained message on every SUBSCRIBE, new or not
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "stored" to "h0/t" with qos 1 retained
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 64 topic filter "h0/t" qos 1 retain handling 0
    Then "sub" receives SUBACK packet id 64 reason codes [1] within 2 s
    And "sub" receives PUBLISH topic "h0/t" payload "stored" retain true within 2 s
    When "sub" sends SUBSCRIBE packet id 65 topic filter "h0/t" qos 1 retain handling 0
    Then "sub" receives SUBACK packet id 65 reason codes [1] within 2 s
    And "sub" receives PUBLISH topic "h0/t" payload "stored" retain true within 2 s

  @v5 @MQTT-3.3.1-10
  Scenario: Retain Handling 1 sends the retained message only when the subscription is new
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "stored" to "h1/t" with qos 1 retained
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 66 topic filter "h1/t" qos 1 retain handling 1
    Then "sub" receives SUBACK packet id 66 reason codes [1] within 2 s
    And "sub" receives PUBLISH topic "h1/t" payload "stored" retain true within 2 s
    When "sub" sends SUBSCRIBE packet id 67 topic filter "h1/t" qos 1 retain handling 1
    Then "sub" receives SUBACK packet id 67 reason codes [1] within 2 s
    And "sub" receives nothing like PUBLISH for 200 ms

  @v5 @MQTT-3.3.1-11
  Scenario: Retain Handling 2 sends no retained message, but live messages still arrive
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "stored" to "h2/t" with qos 1 retained
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 68 topic filter "h2/t" qos 1 retain handling 2
    Then "sub" receives SUBACK packet id 68 reason codes [1] within 2 s
    And "sub" receives nothing like PUBLISH for 200 ms
    When "pub" publishes "live" to "h2/t" with qos 1
    Then "sub" receives message "live" on "h2/t" with qos 1 within 2 s

  @v5 @MQTT-3.3.1-10
  Scenario: Retain Handling 1 on a filter the session already holds sends nothing, even after a reconnect
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "stored" to "hr/t" with qos 1 retained
    And client "sub" connected with session expiry 300
    When "sub" sends SUBSCRIBE packet id 69 topic filter "hr/t" qos 1 retain handling 2
    And "sub" receives SUBACK packet id 69 reason codes [1] within 2 s
    And "sub" disconnects
    And client "sub" connected with clean start false and session expiry 300
    And "sub" sends SUBSCRIBE packet id 70 topic filter "hr/t" qos 1 retain handling 1
    Then "sub" receives SUBACK packet id 70 reason codes [1] within 2 s
    And "sub" receives nothing like PUBLISH for 200 ms
