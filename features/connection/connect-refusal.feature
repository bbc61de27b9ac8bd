@connect
Feature: CONNACK rules and refused connections
  The server sends exactly one CONNACK per connection. A refusing CONNACK has Session Present 0
  and is followed by the close of the connection; nothing the client sent after a refused
  CONNECT is acted on. Sessions belong to the client id, not to a network connection.

  # The refused CONNECT and what follows it go out in one write: a broker that closes the
  # socket with unread bytes in it makes TCP reset the connection, which can destroy its CONNACK
  # on the way to the client.
  @v3.1.1 @MQTT-3.1.4-5 @MQTT-3.1.3-8 @MQTT-3.1.3-9 @MQTT-3.2.2-4 @MQTT-3.2.2-5
  Scenario: packets sent right after a refused CONNECT are ignored (MQTT 3.1.1)
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/rej/311"
    And client "A" opened a network connection
    When "A" sends raw bytes:
      """
      10 0c 00 04 4d 51 54 54 04 00 00 3c 00 00   # CONNECT, CleanSession 0, empty client id: must be refused
      30 19 00 0a 64 72 2f 72 65 6a 2f 33 31 31   # PUBLISH QoS 0 to "dr/rej/311"
      61 66 74 65 72 20 72 65 66 75 73 61 6c      #   payload "after refusal"
      82 0d 00 02 00 08 64 72 2f 72 65 6a 2f 23 00  # SUBSCRIBE packet id 2 to "dr/rej/#"
      """
    # The empty id must be rejected (3.1.3-8); a refusing CONNACK has Session Present 0 (3.2.2-4),
    # and the connection then closes (3.1.3-9, 3.2.2-5): each checked by its own step.
    # checks MQTT-3.1.3-8
    Then "A" receives CONNACK return code 2 within 2 s
    # checks MQTT-3.2.2-4
    And the last packet "A" received matches CONNACK session present false
    # checks MQTT-3.1.3-9, MQTT-3.2.2-5
    And the connection of "A" is closed within 2 s
    # checks MQTT-3.1.4-5
    And "A" receives nothing like SUBACK for 100 ms
    # checks MQTT-3.1.4-5
    And "sub" receives no message for 300 ms

  @v5 @MQTT-3.1.4-6 @MQTT-3.2.2-6 @MQTT-3.2.2-7 @MQTT-3.2.2-8 @MQTT-4.13.2-1 @MQTT-4.12.0-1
  Scenario: packets sent right after a refused CONNECT are ignored (MQTT 5)
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/rej/5"
    And client "A" opened a network connection
    When "A" sends raw bytes:
      """
      10 24 00 04 4d 51 54 54 05 02 00 3c           # CONNECT, Clean Start
      14 15 00 11 6d 68 2d 6e 6f 2d 73 75 63 68 2d 6d 65 74 68 6f 64  # Authentication Method "mh-no-such-method"
      00 03 72 6a 35                                # client id "rj5"
      30 18 00 08 64 72 2f 72 65 6a 2f 35 00        # PUBLISH QoS 0 to "dr/rej/5"
      61 66 74 65 72 20 72 65 66 75 73 61 6c        #   payload "after refusal"
      82 0e 00 02 00 00 08 64 72 2f 72 65 6a 2f 23 00  # SUBSCRIBE packet id 2 to "dr/rej/#"
      """
    # No broker offers this authentication method: refused with 0x8C or 0x87, or closed without
    # a CONNACK (4.12.0-1: the CONNACK is a MAY, the close a MUST).
    # checks MQTT-4.12.0-1
    # checks if sent MQTT-3.2.2-6, MQTT-3.2.2-7, MQTT-3.2.2-8, MQTT-4.13.2-1
    Then "A" is refused with reason code 0x8c or 0x87 if the broker sends one, and disconnected within 2 s
    # checks MQTT-3.1.4-6
    And "A" receives nothing like SUBACK for 100 ms
    # checks MQTT-3.1.4-6
    And "sub" receives no message for 300 ms

  @v5 @MQTT-3.2.0-2 @MQTT-3.1.0-2
  Scenario: a second CONNECT gets no second CONNACK
    Given client "A" connected
    When "A" sends CONNECT
    # checks MQTT-3.1.0-2
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    # checks MQTT-3.2.0-2
    And "A" received exactly one CONNACK

  @v5 @MQTT-3.2.0-2 @MQTT-3.1.0-2
  Scenario: a second CONNECT sent before the first CONNACK gets no second CONNACK
    Given client "A" opened a network connection
    When "A" connects
    And "A" sends CONNECT
    # precondition
    Then "A" receives CONNACK reason code 0 within 2 s
    # checks MQTT-3.1.0-2
    And the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    # checks MQTT-3.2.0-2
    And "A" received exactly one CONNACK

  @v5 @MQTT-3.2.2-1 @MQTT-3.2.2-3
  Scenario: the reserved bits of the CONNACK acknowledge flags are 0, also with Session Present 1
    # The test client's decoder rejects a CONNACK whose flag bits 7-1 are not 0.
    Given client "A" connected with clean start false and session expiry 60
    When "A" disconnects
    And "A" connects with clean start false and session expiry 0
    Then "A" receives CONNACK reason code 0 session present true within 2 s

  @requires:qos1
  Scenario Outline: a session belongs to the client id, whichever connection brings it
    Given client "A" connected with client id "shared" and <keep>
    And "A" subscribed to "own/t" with qos 1
    When "A" disconnects
    And client "pub" connected
    And "pub" publishes "while away" to "own/t" with qos 1
    # A new connection with another name but the same client id takes the session over.
    And "B" connects with client id "shared" and <resume>
    Then "B" receives CONNACK reason code 0 session present true within 2 s
    And "B" receives message "while away" on "own/t" with qos 1 within 2 s
    # Another client id has no session, and a clean start ends the shared one.
    When "C" connects with client id "other" and <resume>
    Then "C" receives CONNACK reason code 0 session present false within 2 s
    When "B" disconnects
    And "D" connects with client id "shared" and <clean>
    Then "D" receives CONNACK reason code 0 session present false within 2 s

    @v3.1.1 @MQTT-3.1.3-2 @MQTT-3.1.4-3
    Examples: MQTT 3.1.1
      | keep                | resume              | clean               |
      | clean session false | clean session false | clean session true  |

    @v5 @MQTT-3.1.3-2 @MQTT-3.1.4-4
    Examples: MQTT 5
      | keep                                  | resume                                | clean            |
      | clean start false and session expiry 300 | clean start false and session expiry 300 | clean start true |

  @v3.1.1 @MQTT-3.1.3-6
  Scenario: clients connecting with an empty client id get distinct identities (MQTT 3.1.1)
    Given the broker accepts an empty client id
    When "A" connects with client id ""
    Then "A" receives CONNACK return code 0 within 2 s
    When "B" connects with client id ""
    Then "B" receives CONNACK return code 0 within 2 s
    # Had both been given the same id, "B" would have taken over the connection of "A".
    And the connection of "A" stays open for 300 ms
    Given "A" subscribed to "anon/t"
    When "B" publishes "hello" to "anon/t"
    Then "A" receives message "hello" on "anon/t" within 2 s

  Scenario Outline: a client id the server does not have to accept (<kind>) is accepted, or refused and the connection closed
    Given client "A" opened a network connection
    When "A" connects with client id "<id>"
    # MQTT 3.1.1 requires the CONNACK 0x02 (3.1.3-9); in MQTT 5 it is a MAY (3.1.3-8).
    # checks if sent MQTT-3.2.2-7
    Then "A" is either accepted, or refused with reason code <code> and disconnected within 2 s

    @v3.1.1 @MQTT-3.1.3-9
    Examples: MQTT 3.1.1
      | kind                    | id                                                                                                   | code |
      | punctuation and spaces  | a b-c_d.e:f@g~h                                                                                       | 2    |
      | 100 characters          | abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij | 2    |

    @v5 @MQTT-3.1.3-8 @MQTT-3.2.2-7
    Examples: MQTT 5
      | kind                    | id                                                                                                   | code                          |
      | punctuation and spaces  | a b-c_d.e:f@g~h                                                                                       | 0x85 if the broker sends one, |
      | 100 characters          | abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij | 0x85 if the broker sends one, |
