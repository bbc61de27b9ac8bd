@v5 @topic-alias
Feature: Topic aliases sent by the client
  A client may replace a topic name with a small integer (Topic Alias) once it has mapped it on
  the connection. The server accepts aliases from 1 up to the Topic Alias Maximum it announced
  in CONNACK; alias 0, an alias above that maximum, or an alias that was never mapped on this
  connection is a protocol error. Mappings belong to one network connection only.

  Background:
    Given the broker supports topicAliases
    And client "sub" connected
    And "sub" subscribed to each of "ta/from-a", "ta/from-b", "ta/keep", "ta/max", "ta/new", "ta/old", "ta/one", "ta/over", "ta/plain", "ta/q", "ta/x", "ta/y", "ta/zero" with qos 1
    And client "A" connected

  @MQTT-3.3.2-12
  Scenario: an alias is set with a topic and then used alone
    When "A" sends PUBLISH topic "ta/one" payload "first" topic alias 1
    And "A" sends PUBLISH topic "" payload "second" topic alias 1
    Then "sub" receives PUBLISH topic "ta/one" payload "first" within 2 s
    And "sub" receives PUBLISH topic "ta/one" payload "second" within 2 s

  @MQTT-3.3.2-12 @requires:qos2
  Scenario: an alias used alone at QoS 1 and QoS 2 is acknowledged and delivered on the mapped topic
    When "A" sends PUBLISH topic "ta/q" payload "map" topic alias 1
    And "A" sends PUBLISH topic "" qos 1 packet id 7 payload "at-one" topic alias 1
    Then "A" receives PUBACK packet id 7 within 2 s
    When "A" sends PUBLISH topic "" qos 2 packet id 8 payload "at-two" topic alias 1
    Then "A" receives PUBREC packet id 8 within 2 s
    When "A" sends PUBREL packet id 8
    Then "A" receives PUBCOMP packet id 8 within 2 s
    And "sub" receives PUBLISH topic "ta/q" payload "at-one" within 2 s
    And "sub" receives PUBLISH topic "ta/q" payload "at-two" within 2 s

  @MQTT-3.3.2-12
  Scenario: an alias can be mapped again to another topic on the same connection
    When "A" sends PUBLISH topic "ta/old" payload "one" topic alias 2
    And "A" sends PUBLISH topic "ta/new" payload "two" topic alias 2
    And "A" sends PUBLISH topic "" payload "three" topic alias 2
    Then "sub" receives PUBLISH topic "ta/old" payload "one" within 2 s
    And "sub" receives PUBLISH topic "ta/new" payload "two" within 2 s
    And "sub" receives PUBLISH topic "ta/new" payload "three" within 2 s

  @MQTT-3.3.2-12
  Scenario: several aliases are held at once
    When "A" sends PUBLISH topic "ta/x" payload "x1" topic alias 1
    And "A" sends PUBLISH topic "ta/y" payload "y1" topic alias 2
    And "A" sends PUBLISH topic "" payload "y2" topic alias 2
    And "A" sends PUBLISH topic "" payload "x2" topic alias 1
    Then "sub" receives PUBLISH topic "ta/y" payload "y2" within 2 s
    And "sub" receives PUBLISH topic "ta/x" payload "x2" within 2 s

  @MQTT-3.3.2-12
  Scenario: the highest alias the broker announced is accepted
    When "A" sends with topic alias the broker's maximum PUBLISH topic "ta/max" payload "top"
    And "A" sends with topic alias the broker's maximum PUBLISH topic "" qos 1 packet id 3 payload "again"
    Then "A" receives PUBACK packet id 3 within 2 s
    And "sub" receives PUBLISH topic "ta/max" payload "again" within 2 s
    And the connection of "A" stays open for 300 ms

  @MQTT-3.3.2-12
  Scenario: aliases are kept per connection, so two clients may map the same alias differently
    Given client "B" connected
    When "A" sends PUBLISH topic "ta/from-a" payload "a1" topic alias 1
    And "B" sends PUBLISH topic "ta/from-b" payload "b1" topic alias 1
    And "A" sends PUBLISH topic "" payload "a2" topic alias 1
    And "B" sends PUBLISH topic "" payload "b2" topic alias 1
    Then "sub" receives PUBLISH topic "ta/from-a" payload "a2" within 2 s
    And "sub" receives PUBLISH topic "ta/from-b" payload "b2" within 2 s

  @MQTT-3.3.2-12 @MQTT-3.1.2-27
  Scenario: the alias is not forwarded: a subscriber that allowed none gets the full topic without an alias
    When "A" sends PUBLISH topic "ta/plain" payload "p1" topic alias 1
    And "A" sends PUBLISH topic "" payload "p2" topic alias 1
    Then "sub" receives PUBLISH topic "ta/plain" payload "p2" within 2 s
    And no PUBLISH "sub" received had a topic alias

  @MQTT-4.13.1-1
  Scenario: topic alias 0 is a protocol error that ends the connection
    When "A" sends PUBLISH topic "ta/zero" payload "z" topic alias 0
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one
    And "sub" receives no message for 300 ms

  # Section 3.3.2.3.4 names 0x94 (Topic Alias invalid) as the reason code for this case.
  @MQTT-4.13.1-1 @advisory
  Scenario: topic alias 0 is answered with DISCONNECT reason code 0x94
    When "A" sends PUBLISH topic "ta/zero" payload "z" topic alias 0
    Then the connection of "A" is closed within 2 s, with reason code 0x94 if the broker sends one

  @MQTT-4.13.1-1
  Scenario: an alias above the broker's Topic Alias Maximum is a protocol error
    When "A" sends with topic alias one above the broker's maximum PUBLISH topic "ta/over" payload "o"
    Then the connection of "A" is closed within 2 s, with reason code 0x94 if the broker sends one
    And "sub" receives no message for 300 ms

  @MQTT-4.13.1-1
  Scenario: an empty topic with an alias that was never mapped is a protocol error
    When "A" sends PUBLISH topic "" payload "lost" topic alias 3
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    And "sub" receives no message for 300 ms

  @MQTT-3.3.2-7
  Scenario: a mapping does not survive a reconnect, even when the session does
    When "A" disconnects
    And "A" connects with clean start false and session expiry 60
    Then "A" receives CONNACK reason code 0 within 2 s
    When "A" sends PUBLISH topic "ta/keep" payload "mapped" topic alias 4
    And "A" disconnects
    And "A" connects with clean start false and session expiry 60
    Then "A" receives CONNACK reason code 0 session present true within 2 s
    When "A" sends PUBLISH topic "" payload "stale" topic alias 4
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    And "sub" receives PUBLISH topic "ta/keep" payload "mapped" within 2 s
    And "sub" receives no message for 300 ms
