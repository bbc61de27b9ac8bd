@v5 @topic-alias
Feature: Topic aliases sent by the server
  The server may alias topics in the PUBLISH packets it sends only when the client allowed it
  with a Topic Alias Maximum in CONNECT, never with alias 0 or above that maximum, and never
  relying on a mapping made on an earlier connection. Whatever the broker chooses, resolving the
  aliases must give back the topic each message was published to.

  Background:
    Given client "pub" connected

  @MQTT-3.1.2-27
  Scenario: a client that sent no Topic Alias Maximum receives no topic aliases
    Given client "sub" connected
    And "sub" subscribed to "sa/t"
    When "pub" publishes "m1" to "sa/t"
    And "pub" publishes "m2" to "sa/t"
    And "pub" publishes "m3" to "sa/t"
    And "pub" publishes "m4" to "sa/t"
    Then "sub" receives message "m4" on "sa/t" within 2 s
    And no PUBLISH "sub" received had a topic alias

  @MQTT-3.1.2-27
  Scenario: a client that sent Topic Alias Maximum 0 receives no topic aliases
    Given client "sub" connected with topic alias maximum 0
    And "sub" subscribed to "sa/t"
    When "pub" publishes "m1" to "sa/t"
    And "pub" publishes "m2" to "sa/t"
    And "pub" publishes "m3" to "sa/t"
    Then "sub" receives message "m3" on "sa/t" within 2 s
    And no PUBLISH "sub" received had a topic alias

  @MQTT-3.1.2-26 @MQTT-3.3.2-11 @MQTT-3.3.2-8
  Scenario: with Topic Alias Maximum 1 the broker uses at most alias 1, and every alias resolves to the right topic
    Given client "sub" connected with topic alias maximum 1
    And "sub" subscribed to each of "sa/a", "sa/b", "sa/c"
    When "pub" publishes "a1" to "sa/a"
    And "pub" publishes "b1" to "sa/b"
    And "pub" publishes "a2" to "sa/a"
    And "pub" publishes "c1" to "sa/c"
    And "pub" publishes "b2" to "sa/b"
    And "pub" publishes "a3" to "sa/a"
    Then "sub" receives PUBLISH payload "a3" within 2 s
    And "sub" received "a1", "a2" and "a3" on "sa/a" using topic aliases of at most 1
    And "sub" received "b1" and "b2" on "sa/b" using topic aliases of at most 1
    And "sub" received "c1" on "sa/c" using topic aliases of at most 1

  @MQTT-3.1.2-26 @MQTT-3.3.2-11 @MQTT-3.3.2-8
  Scenario: with Topic Alias Maximum 2 and more topics than aliases every alias still resolves correctly
    Given client "sub" connected with topic alias maximum 2
    And "sub" subscribed to each of "sa/x", "sa/y", "sa/z" with qos 1
    When "pub" publishes "x1" to "sa/x" with qos 1
    And "pub" publishes "y1" to "sa/y" with qos 1
    And "pub" publishes "z1" to "sa/z" with qos 1
    And "pub" publishes "x2" to "sa/x" with qos 1
    And "pub" publishes "z2" to "sa/z" with qos 1
    And "pub" publishes "y2" to "sa/y" with qos 1
    Then "sub" receives PUBLISH payload "y2" within 2 s
    And "sub" received "x1" and "x2" on "sa/x" using topic aliases of at most 2
    And "sub" received "y1" and "y2" on "sa/y" using topic aliases of at most 2
    And "sub" received "z1" and "z2" on "sa/z" using topic aliases of at most 2

  @MQTT-3.3.2-7 @MQTT-3.1.2-26
  Scenario: after a reconnect the broker does not rely on aliases mapped on the old connection
    Given client "sub" connected with topic alias maximum 5 and session expiry 60
    And "sub" subscribed to "sa/r"
    When "pub" publishes "before1" to "sa/r"
    And "pub" publishes "before2" to "sa/r"
    Then "sub" receives PUBLISH payload "before2" within 2 s
    When "sub" disconnects
    And "sub" connects with clean start false and topic alias maximum 5 and session expiry 60
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    When "pub" publishes "after1" to "sa/r"
    And "pub" publishes "after2" to "sa/r"
    Then "sub" receives PUBLISH payload "after2" within 2 s
    And "sub" received "before1", "before2", "after1" and "after2" on "sa/r" using topic aliases of at most 5

  @MQTT-3.1.2-27 @MQTT-3.3.2-7
  Scenario: a client that allowed aliases before and none after reconnecting receives no aliases
    Given client "sub" connected with topic alias maximum 5 and session expiry 60
    And "sub" subscribed to "sa/s"
    When "pub" publishes "old1" to "sa/s"
    And "pub" publishes "old2" to "sa/s"
    Then "sub" receives PUBLISH payload "old2" within 2 s
    When "sub" disconnects
    And "sub" connects with clean start false and session expiry 60
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    When "pub" publishes "new1" to "sa/s"
    And "pub" publishes "new2" to "sa/s"
    Then "sub" receives message "new2" on "sa/s" within 2 s
    And no PUBLISH "sub" received since its last CONNACK had a topic alias
