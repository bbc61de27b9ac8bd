@malformed
Feature: Reserved fixed-header flags of the other packet types
  Besides SUBSCRIBE, UNSUBSCRIBE, PUBREL and PINGREQ (fixed-header.feature), every packet type
  but PUBLISH has fixed flag bits: 0000 for PUBACK, PUBREC, PUBCOMP, PINGREQ and CONNECT, 0010
  for SUBSCRIBE and UNSUBSCRIBE. Any other value makes the packet malformed and the server
  closes the connection (MQTT 5: DISCONNECT 0x81 if it says why).

  Scenario Outline: <packet type> with fixed-header flags <flags> closes the connection
    Given client "A" connected
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-2.2.2-2 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | packet type | flags | packet                    |
      | PUBACK      | 0001  | 41 02 00 01               |
      | PUBREC      | 0010  | 52 02 00 01               |
      | PUBCOMP     | 1000  | 78 02 00 01               |
      | SUBSCRIBE   | 1010  | 8a 06 00 01 00 01 61 00   |
      | UNSUBSCRIBE | 0011  | a3 05 00 01 00 01 61      |
      | PINGREQ     | 1000  | c8 00                     |

    @v5 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | packet type | flags | packet                       |
      | PUBACK      | 0001  | 41 02 00 01                  |
      | PUBREC      | 0010  | 52 02 00 01                  |
      | PUBCOMP     | 1000  | 78 02 00 01                  |
      | SUBSCRIBE   | 1010  | 8a 07 00 01 00 00 01 61 00   |
      | UNSUBSCRIBE | 0011  | a3 06 00 01 00 00 01 61      |
      | PINGREQ     | 1000  | c8 00                        |
