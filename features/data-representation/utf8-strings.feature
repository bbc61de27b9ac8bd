@utf8
Feature: UTF-8 encoded strings
  Every string field of a packet (topic names, client id, user name, Will topic, MQTT 5 user
  properties) must be well-formed UTF-8 without encoded surrogates and without U+0000. A server
  receiving such a packet closes the connection (MQTT 5: a malformed packet, reason 0x81 when
  it says why). The bytes EF BB BF are the character U+FEFF and are kept wherever they occur.
  Raw packets carry fixed, unprefixed topics ("dr/...") and client ids, so the test can
  check that nothing is forwarded (a copy would go out before the close, so a short wait
  after it is enough).

  @requires:wildcardSubscriptions
  Scenario Outline: a PUBLISH whose topic name has <defect> closes the connection and is not forwarded
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/<tag>/#"
    And client "pub" connected
    When "pub" sends raw "<packet>"
    # The receiver's duty: close (3.1.1 1.5.3-1 / 1.5.3-2 name it; MQTT 5 1.5.4-x bind only the sender).
    # checks MQTT-4.8.0-1, MQTT-4.13.1-1, MQTT-1.5.3-1, MQTT-1.5.3-2
    Then the connection of "pub" is closed within 2 s, with reason code 0x81 if the broker sends one
    # A forwarded copy would carry the bad string: the broker, as its sender, would break 1.5.x.
    # checks MQTT-4.8.0-1, MQTT-4.13.1-1, MQTT-1.5.3-1, MQTT-1.5.3-2, MQTT-1.5.4-1, MQTT-1.5.4-2
    And "sub" receives no message for 100 ms

    # PUBLISH QoS 0, topic "dr/<tag>/a" + defect + "b", payload "x"
    @v3.1.1 @MQTT-1.5.3-1 @MQTT-4.8.0-1
    Examples: ill-formed UTF-8 (MQTT 3.1.1)
      | defect                   | tag | packet                                            |
      | the byte 0xFF            | ff  | 30 0c 00 09 64 72 2f 66 66 2f 61 ff 62 78          |
      | an overlong C0 80        | ol  | 30 0d 00 0a 64 72 2f 6f 6c 2f 61 c0 80 62 78       |
      | a truncated E2 82        | tr  | 30 0d 00 0a 64 72 2f 74 72 2f 61 e2 82 62 78       |
      | the surrogate U+D800     | sr  | 30 0e 00 0b 64 72 2f 73 72 2f 61 ed a0 80 62 78    |

    @v3.1.1 @MQTT-1.5.3-2 @MQTT-4.8.0-1
    Examples: U+0000 (MQTT 3.1.1)
      | defect                   | tag | packet                                            |
      | an encoded U+0000        | nul | 30 0d 00 0a 64 72 2f 6e 75 6c 2f 61 00 62 78       |

    @v5 @MQTT-1.5.4-1 @MQTT-4.13.1-1
    Examples: ill-formed UTF-8 (MQTT 5)
      | defect                   | tag | packet                                            |
      | the byte 0xFF            | ff  | 30 0d 00 09 64 72 2f 66 66 2f 61 ff 62 00 78       |
      | an overlong C0 80        | ol  | 30 0e 00 0a 64 72 2f 6f 6c 2f 61 c0 80 62 00 78    |
      | a truncated E2 82        | tr  | 30 0e 00 0a 64 72 2f 74 72 2f 61 e2 82 62 00 78    |
      | the surrogate U+D800     | sr  | 30 0f 00 0b 64 72 2f 73 72 2f 61 ed a0 80 62 00 78 |

    @v5 @MQTT-1.5.4-2 @MQTT-4.13.1-1
    Examples: U+0000 (MQTT 5)
      | defect                   | tag | packet                                            |
      | an encoded U+0000        | nul | 30 0e 00 0a 64 72 2f 6e 75 6c 2f 61 00 62 00 78    |

  Scenario Outline: a CONNECT whose <field> has <defect> is refused and the connection closed
    Given client "A" opened a network connection
    When "A" sends raw "<packet>"
    # The close is what every statement asks for (3.1.1 1.5.3-1 / 1.5.3-2: the receiver closes).
    # checks MQTT-1.5.3-1, MQTT-1.5.3-2, MQTT-3.1.4-1, MQTT-4.13.1-1
    Then the connection of "A" is closed within 2 s
    # What was said before the close is 3.1.4-1's alone (MQTT 5: and 4.13.1-1's): a CONNACK refusing
    # for another reason (RabbitMQ: 0x04) breaks 3.1.4-1, not the 1.5.3-x close that did happen.
    # checks MQTT-3.1.4-1, MQTT-4.13.1-1
    And the connection of "A" is closed within 2 s, with reason code <codes> if the broker sends one

    # MQTT 3.1.1: a CONNECT that breaks section 3.1 gets no CONNACK at all (no code fits).
    @v3.1.1 @MQTT-1.5.3-1 @MQTT-3.1.4-1
    Examples: ill-formed UTF-8 (MQTT 3.1.1)
      | field      | defect                 | codes | packet                                                                        |
      | client id  | the surrogate U+DFFF   | 0x81  | 10 11 00 04 4d 51 54 54 04 02 00 3c 00 05 61 ed bf bf 62                       |
      | user name  | the surrogate U+D800   | 0x81  | 10 14 00 04 4d 51 54 54 04 82 00 3c 00 01 75 00 05 61 ed a0 80 62             |
      | Will topic | the surrogate U+D800   | 0x81  | 10 17 00 04 4d 51 54 54 04 06 00 3c 00 01 77 00 05 61 ed a0 80 62 00 01 78     |
      | user name  | a truncated E2 82      | 0x81  | 10 13 00 04 4d 51 54 54 04 82 00 3c 00 01 75 00 04 61 e2 82 62                 |
      | Will topic | a code beyond U+10FFFF | 0x81  | 10 18 00 04 4d 51 54 54 04 06 00 3c 00 01 77 00 06 61 f4 90 80 80 62 00 01 78  |

    @v3.1.1 @MQTT-1.5.3-2 @MQTT-3.1.4-1
    Examples: U+0000 (MQTT 3.1.1)
      | field      | defect                 | codes | packet                                                                        |
      | client id  | an encoded U+0000      | 0x81  | 10 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 61 00 62                             |
      | user name  | an encoded U+0000      | 0x81  | 10 12 00 04 4d 51 54 54 04 82 00 3c 00 01 75 00 03 61 00 62                   |
      | Will topic | an encoded U+0000      | 0x81  | 10 15 00 04 4d 51 54 54 04 06 00 3c 00 01 77 00 03 61 00 62 00 01 78           |

    # MQTT 5: malformed (0x81); a refused client id may also be answered with 0x85. (1.5.4-1 / 1.5.4-2
    # bind the sender, which the harness is here: checked are the receiver's duties.)
    @v5 @MQTT-3.1.4-1 @MQTT-4.13.1-1
    Examples: ill-formed UTF-8 (MQTT 5)
      | field      | defect                 | codes        | packet                                                                           |
      | client id  | the surrogate U+DFFF   | 0x81 or 0x85 | 10 12 00 04 4d 51 54 54 05 02 00 3c 00 00 05 61 ed bf bf 62                        |
      | user name  | the surrogate U+D800   | 0x81         | 10 15 00 04 4d 51 54 54 05 82 00 3c 00 00 01 75 00 05 61 ed a0 80 62                |
      | Will topic | the surrogate U+D800   | 0x81         | 10 19 00 04 4d 51 54 54 05 06 00 3c 00 00 01 77 00 00 05 61 ed a0 80 62 00 01 78   |
      | user name  | a truncated E2 82      | 0x81         | 10 14 00 04 4d 51 54 54 05 82 00 3c 00 00 01 75 00 04 61 e2 82 62                  |
      | Will topic | a code beyond U+10FFFF | 0x81         | 10 1a 00 04 4d 51 54 54 05 06 00 3c 00 00 01 77 00 00 06 61 f4 90 80 80 62 00 01 78 |

    @v5 @MQTT-3.1.4-1 @MQTT-4.13.1-1
    Examples: U+0000 (MQTT 5)
      | field      | defect                 | codes        | packet                                                                           |
      | client id  | an encoded U+0000      | 0x81 or 0x85 | 10 10 00 04 4d 51 54 54 05 02 00 3c 00 00 03 61 00 62                              |
      | user name  | an encoded U+0000      | 0x81         | 10 13 00 04 4d 51 54 54 05 82 00 3c 00 00 01 75 00 03 61 00 62                      |
      | Will topic | an encoded U+0000      | 0x81         | 10 17 00 04 4d 51 54 54 05 06 00 3c 00 00 01 77 00 00 03 61 00 62 00 01 78          |

  Scenario Outline: a User Property whose <part> has <defect> makes the <packet type> malformed
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/up"
    And client "A" <start>
    When "A" sends raw "<packet>"
    # checks MQTT-4.13.1-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one
    # A forwarded copy would carry the bad string: the broker, as its sender, would break 1.5.x.
    # checks MQTT-4.13.1-1, MQTT-1.5.7-1, MQTT-1.5.4-1, MQTT-1.5.4-2
    And "sub" receives no message for 100 ms

    # PUBLISH QoS 0 topic "dr/up" payload "x" with one User Property (0x26);
    # CONNECT client id "c" with a User Property; CONNECT with a Will on "wt" whose Will Properties hold one.
    @v5 @MQTT-1.5.7-1 @MQTT-1.5.4-1 @MQTT-4.13.1-1
    Examples: ill-formed UTF-8
      | part  | defect               | packet type | start                       | packet                                                                                            |
      | name  | the byte 0xFF        | PUBLISH     | connected                   | 30 12 00 05 64 72 2f 75 70 09 26 00 03 61 ff 62 00 01 76 78                                         |
      | value | the surrogate U+D800 | PUBLISH     | connected                   | 30 14 00 05 64 72 2f 75 70 0b 26 00 01 6b 00 05 61 ed a0 80 62 78                                   |
      | value | an overlong C0 80    | CONNECT     | opened a network connection | 10 18 00 04 4d 51 54 54 05 02 00 3c 0a 26 00 01 6b 00 04 61 c0 80 62 00 01 63                       |
      | value | a truncated E2 82    | Will        | opened a network connection | 10 20 00 04 4d 51 54 54 05 06 00 3c 00 00 01 77 0a 26 00 01 6b 00 04 61 e2 82 62 00 02 77 74 00 01 78 |

    @v5 @MQTT-1.5.7-1 @MQTT-1.5.4-2 @MQTT-4.13.1-1
    Examples: U+0000
      | part  | defect               | packet type | start                       | packet                                                                                            |
      | value | an encoded U+0000    | PUBLISH     | connected                   | 30 12 00 05 64 72 2f 75 70 09 26 00 01 6b 00 03 61 00 62 78                                         |

  Scenario Outline: a topic name starting with EF BB BF keeps those bytes
    # U+FEFF is an ordinary character: the filter with it matches, the filter without it does not.
    Given topics are not prefixed
    And client "bom" connected
    And client "plain" connected
    And client "pub" connected
    When "bom" sends SUBSCRIBE packet id 1 topic filter "\ufeffdr-bom/<v>/t" qos 0
    And "plain" sends SUBSCRIBE packet id 2 topic filter "dr-bom/<v>/t" qos 0
    Then "bom" receives SUBACK packet id 1 reason codes [0] within 2 s
    And "plain" receives SUBACK packet id 2 reason codes [0] within 2 s
    When "pub" sends PUBLISH topic "\ufeffdr-bom/<v>/t" payload "with bom"
    Then "bom" receives PUBLISH topic "\ufeffdr-bom/<v>/t" payload "with bom" within 2 s
    And "plain" receives nothing like PUBLISH for 300 ms

    @v3.1.1 @MQTT-1.5.3-3
    Examples: MQTT 3.1.1
      | v   |
      | 311 |

    @v5 @MQTT-1.5.4-3
    Examples: MQTT 5
      | v |
      | 5 |

  @requires:qos1
  Scenario Outline: U+FEFF inside a topic name is forwarded unchanged
    Given client "sub" connected
    And client "pub" connected
    When "sub" sends SUBSCRIBE packet id 3 topic filter "bom/a\ufeffb/\ufeff" qos 1
    Then "sub" receives SUBACK packet id 3 within 2 s
    When "pub" sends PUBLISH topic "bom/a\ufeffb/\ufeff" qos 1 packet id 4 payload "x"
    Then "pub" receives PUBACK packet id 4 within 2 s
    And "sub" receives PUBLISH topic "bom/a\ufeffb/\ufeff" payload "x" within 2 s

    @v3.1.1 @MQTT-1.5.3-3
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-1.5.4-3
    Examples: MQTT 5
      | version |
      | 5       |

  @v5 @MQTT-1.5.4-3 @MQTT-1.5.7-1
  Scenario: U+FEFF at the start of a User Property name and value is kept
    Given client "sub" connected
    And "sub" subscribed to "bom/up"
    And client "pub" connected
    When "pub" sends PUBLISH topic "bom/up" payload "x" user properties [["\ufeffk", "\ufeffv\ufeff"]]
    Then "sub" receives PUBLISH topic "bom/up" payload "x" user properties [["\ufeffk", "\ufeffv\ufeff"]] within 2 s

  @requires:wildcardSubscriptions
  Scenario Outline: well-formed multi-byte UTF-8 (2, 3 and 4 byte sequences) is accepted and forwarded unchanged
    Given client "sub" connected
    And client "pub" connected
    When "sub" sends SUBSCRIBE packet id 5 topic filter "utf8/caf\u00e9/\u6e29\u5ea6/\ud83d\ude00/+" qos 0
    Then "sub" receives SUBACK packet id 5 reason codes [0] within 2 s
    When "pub" sends PUBLISH topic "utf8/caf\u00e9/\u6e29\u5ea6/\ud83d\ude00/\u00ff" payload "ok"
    Then "sub" receives PUBLISH topic "utf8/caf\u00e9/\u6e29\u5ea6/\ud83d\ude00/\u00ff" payload "ok" within 2 s
    And the connection of "pub" stays open for 200 ms

    @v3.1.1 @MQTT-1.5.3-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-1.5.4-1
    Examples: MQTT 5
      | version |
      | 5       |
