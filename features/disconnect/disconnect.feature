@disconnect
Feature: DISCONNECT in both directions
  A client's DISCONNECT must have fixed-header flags 0; a DISCONNECT that breaks this is
  malformed and ends the connection as an error (so the Will goes out). In MQTT 5.0 the server
  may itself send DISCONNECT, with a reason code from the DISCONNECT table, never a Session
  Expiry Interval, never before a successful CONNACK, and it sends nothing after it and closes
  the connection.

  Scenario Outline: a DISCONNECT with non-zero fixed-header flags is malformed: the connection closes and the Will goes out
    Given client "mon" connected
    And "mon" subscribed to "dis/flags" with qos 1
    And client "A" connected with will topic "dis/flags" and will payload "bad disconnect"
    When "A" sends raw "<bytes>"
    # checks MQTT-3.14.1-1, MQTT-4.13.1-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one
    # checks MQTT-3.1.2-8
    And "mon" receives message "bad disconnect" on "dis/flags" within 2 s

    @v3.1.1 @MQTT-3.14.1-1 @MQTT-3.1.2-8
    Examples: MQTT 3.1.1
      | bytes |
      | e1 00 |
      | e8 00 |

    @v5 @MQTT-3.14.1-1 @MQTT-3.1.2-8 @MQTT-4.13.1-1
    Examples: MQTT 5
      | bytes |
      | e1 00 |
      | e8 00 |

  @v5 @MQTT-3.1.4-3 @MQTT-3.14.2-1 @MQTT-3.14.2-2 @MQTT-3.14.4-1 @MQTT-3.14.4-2 @MQTT-4.13.2-1
  Scenario: a connection whose session is taken over is closed; a DISCONNECT before the close says 0x8E and nothing follows it
    Given client "A" connected with client id "same"
    When client "B" connected with client id "same"
    # The DISCONNECT is what the server "sends" (3.1.4-3); only closing is a MUST. What a DISCONNECT
    # must carry, and that nothing follows it, can only be checked when one was sent.
    # checks MQTT-3.1.4-3
    # checks if sent MQTT-3.14.2-1, MQTT-3.14.2-2, MQTT-3.14.4-1, MQTT-3.14.4-2, MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x8E if the broker sends one

  @v5 @MQTT-3.14.0-1
  Scenario: no DISCONNECT is sent to a client whose CONNECT is refused
    Given client "A" opened a network connection
    # CONNECT at protocol level 5 with the reserved flag set
    When "A" sends raw "10 0e 00 04 4d 51 54 54 05 03 00 3c 00 00 01 72"
    # precondition
    Then the connection of "A" is closed within 2 s
    And "A" receives nothing like DISCONNECT for 100 ms

  # The client breaks MQTT-3.14.2-1 on purpose (a sender's duty): what is checked is the broker's answer.
  @v5 @MQTT-4.13.1-1 @MQTT-3.1.2-8
  Scenario: a DISCONNECT with a reason code missing from the DISCONNECT table closes the connection and publishes the Will
    Given client "mon" connected
    And "mon" subscribed to "dis/code" with qos 1
    And client "A" connected with will topic "dis/code" and will payload "unknown reason"
    # DISCONNECT reason code 0x03 is not in the table
    When "A" sends raw "e0 01 03"
    # checks MQTT-4.13.1-1
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one
    # checks MQTT-3.1.2-8
    And "mon" receives message "unknown reason" on "dis/code" within 2 s

  @v5 @MQTT-3.14.4-3
  Scenario: a normal DISCONNECT carrying a Reason String and User Properties still discards the Will
    Given client "mon" connected
    And "mon" subscribed to "dis/props" with qos 1
    And client "A" connected with will topic "dis/props" and will payload "must not appear"
    When "A" sends DISCONNECT reason code 0 reason string "bye" user properties [["why", "done"]]
    # The server only SHOULD close after a DISCONNECT (3.14.4); the client closes, as 3.14.4-2 asks of it.
    And "A" closes the connection
    Then "mon" receives no message on "dis/props" for 500 ms
