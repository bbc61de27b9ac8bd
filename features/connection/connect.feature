Feature: CONNECT and CONNACK basics
  A client opens a session by sending CONNECT as its first packet; the server answers with
  CONNACK before anything else, and treats a second CONNECT or any other first packet as a
  protocol violation that ends the connection.

  Scenario Outline: a valid CONNECT is answered first by a successful CONNACK without a session
    Given client "A" opened a network connection
    When "A" connects
    Then "A" next receives CONNACK reason code 0 session present false within 2 s

    # Reaching a CONNACK at all shows the server speaks MQTT over an ordered byte stream.
    @v3.1.1 @MQTT-3.2.0-1 @MQTT-3.1.4-4 @MQTT-3.2.2-1 @MQTT-7.1.1-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.2.0-1 @MQTT-3.1.4-5 @MQTT-3.2.2-2 @MQTT-4.2-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a 23-character client id of letters and digits is accepted
    Given client "A" opened a network connection
    When "A" connects with exact client id "<id>"
    Then "A" receives CONNACK reason code 0 within 2 s

    @v3.1.1 @MQTT-3.1.3-5
    Examples: MQTT 3.1.1
      | id                      |
      | a1B2c3D4e5F6g7H8i9J0kL4 |

    @v5 @MQTT-3.1.3-5
    Examples: MQTT 5
      | id                      |
      | a1B2c3D4e5F6g7H8i9J0kL5 |

  @v3.1.1 @MQTT-3.1.3-8 @MQTT-3.2.2-4 @MQTT-3.2.2-5
  Scenario: an empty client id with CleanSession 0 is rejected with return code 2
    Given client "A" opened a network connection
    When "A" connects with client id "" and clean session false
    # checks MQTT-3.1.3-8
    Then "A" receives CONNACK return code 2 within 2 s
    # checks MQTT-3.2.2-4
    And the last packet "A" received matches CONNACK session present false
    # checks MQTT-3.1.3-8, MQTT-3.2.2-5
    And the connection of "A" is closed within 2 s

  @v5 @MQTT-3.1.3-6 @MQTT-3.2.2-16
  Scenario: an empty client id is either refused or given an assigned client identifier
    Given client "A" opened a network connection
    When "A" connects with client id ""
    # A refusal may close without a CONNACK (3.1.3-8: the CONNACK 0x85 is a MAY).
    # checks if sent MQTT-3.1.3-6, MQTT-3.2.2-16
    Then "A" is either accepted with an assigned client identifier, or refused with reason code 0x85 if the broker sends one, and disconnected within 2 s

  Scenario Outline: a second CONNECT on the same connection is a protocol violation
    Given client "A" connected
    When "A" sends CONNECT
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one

    @v3.1.1 @MQTT-3.1.0-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.0-2
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a first packet other than CONNECT ends the connection without any answer
    Given client "A" opened a network connection
    When "A" sends PINGREQ
    Then the connection of "A" is closed within 2 s without any packet from the broker

    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.13.1-1 @MQTT-3.14.0-1
    Examples: MQTT 5
      | version |
      | 5       |

  @v3.1.1 @MQTT-3.1.2-2
  Scenario: an unsupported protocol level gets CONNACK return code 1, then the connection closes
    Given client "A" opened a network connection
    # CONNECT "MQTT" level 7, clean session, keep alive 60, client id "v"
    When "A" sends raw "10 0d 00 04 4d 51 54 54 07 02 00 3c 00 01 76"
    Then "A" receives CONNACK return code 1 within 2 s
    And the connection of "A" is closed within 2 s

  Scenario Outline: the reserved bit of the CONNECT flags must be zero
    Given client "A" opened a network connection
    When "A" sends raw "<connect>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    # CONNECT with flags 0x03: clean session plus the reserved bit 0.
    @v3.1.1 @MQTT-3.1.2-3 @MQTT-3.1.4-1
    Examples: MQTT 3.1.1
      | connect                                        |
      | 10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 72   |

    @v5 @MQTT-3.1.2-3 @MQTT-3.1.4-1
    Examples: MQTT 5
      | connect                                        |
      | 10 0e 00 04 4d 51 54 54 05 03 00 3c 00 00 01 72 |
