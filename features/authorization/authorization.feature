@authorization
Feature: Authentication and authorization
  A server may refuse a CONNECT whose credentials it does not accept: CONNACK return code 4 or 5
  (MQTT 3.1.1) or reason code 0x86 / 0x87 (MQTT 5), with Session Present 0, then it closes the
  connection. A PUBLISH the client may not perform is acknowledged as its QoS requires but not
  forwarded, or the connection is closed; a SUBSCRIBE it may not make gets a failure code or
  is granted without any message arriving.
  These scenarios need a target with two identities, the second one limited to the scenario's
  topics under "open/" (features/authorization/README.md); elsewhere they are not applicable.

  Scenario Outline: a wrong password is refused with <codes>, Session Present 0, and the connection closed
    Given the target checks the configured user's password
    When "A" tries to connect as the configured user with a wrong password
    # The refusing CONNACK is optional (5.0 3.1.4-2 MAY; 3.1.1 3.2.2.3 SHOULD), the close is not.
    # checks if sent MQTT-3.2.2-4, MQTT-3.2.2-5, MQTT-3.2.2-6, MQTT-3.2.2-7
    Then "A" is either accepted, or refused with reason code <codes> if the broker sends one, and disconnected within 2 s

    @v3.1.1 @MQTT-3.2.2-4 @MQTT-3.2.2-5
    Examples: MQTT 3.1.1
      | codes  |
      | 4 or 5 |

    @v5 @MQTT-3.2.2-6 @MQTT-3.2.2-7 @MQTT-4.13.2-1
    Examples: MQTT 5
      | codes        |
      | 0x86 or 0x87 |

  Scenario Outline: an unknown user name is refused with <codes>, Session Present 0, and the connection closed
    Given the target checks the configured user's password
    When "A" tries to connect with an unknown user name
    # The refusing CONNACK is optional (5.0 3.1.4-2 MAY; 3.1.1 3.2.2.3 SHOULD), the close is not.
    # checks if sent MQTT-3.2.2-4, MQTT-3.2.2-5, MQTT-3.2.2-6, MQTT-3.2.2-7
    Then "A" is either accepted, or refused with reason code <codes> if the broker sends one, and disconnected within 2 s

    @v3.1.1 @MQTT-3.2.2-4 @MQTT-3.2.2-5
    Examples: MQTT 3.1.1
      | codes  |
      | 4 or 5 |

    @v5 @MQTT-3.2.2-6 @MQTT-3.2.2-7 @MQTT-4.13.2-1
    Examples: MQTT 5
      | codes        |
      | 0x86 or 0x87 |

  @v5 @advisory @MQTT-3.1.4-2
  Scenario: a server that authenticates refuses a wrong password
    Given the target checks the configured user's password
    When "A" tries to connect as the configured user with a wrong password
    # 3.1.4-2: the CONNACK (0x86 / 0x87) is a MAY, closing the connection a MUST.
    Then "A" is refused with reason code 0x86 or 0x87 if the broker sends one, and disconnected within 2 s

  Scenario Outline: a QoS <qos> PUBLISH the second user may not make is <answer> but not forwarded
    Given the second user may only use topics under "open/"
    And client "owner" connected
    And "owner" subscribed to "closed/t" with qos 1
    And client "B" connected as the second user
    When "B" sends PUBLISH topic "closed/t" qos <qos> packet id 5 payload "not allowed"
    Then "B" gets <ack> packet id 5 <codes>, or its connection is closed within 2 s
    And "owner" receives no message for 300 ms

    @v3.1.1 @MQTT-3.3.5-2 @requires:qos1
    Examples: QoS 1 (MQTT 3.1.1)
      | qos | answer       | ack    | codes    |
      | 1   | acknowledged | PUBACK | as usual |

    @v3.1.1 @MQTT-3.3.5-2 @requires:qos2
    Examples: QoS 2 (MQTT 3.1.1)
      | qos | answer       | ack    | codes    |
      | 2   | acknowledged | PUBREC | as usual |

    @v5 @MQTT-3.3.4-1 @requires:qos1
    Examples: QoS 1 (MQTT 5)
      | qos | answer                   | ack    | codes                         |
      | 1   | refused with PUBACK 0x87 | PUBACK | with reason code 0x87 or 0x80 |

    @v5 @MQTT-3.3.4-1 @requires:qos2
    Examples: QoS 2 (MQTT 5)
      | qos | answer                   | ack    | codes                         |
      | 2   | refused with PUBREC 0x87 | PUBREC | with reason code 0x87 or 0x80 |

  Scenario Outline: a QoS 0 PUBLISH the second user may not make is not forwarded, while its allowed topics work
    Given the second user may only use topics under "open/"
    And client "owner" connected
    And "owner" subscribed to "closed/t"
    And "owner" subscribed to "open/t"
    And client "B" connected as the second user
    # The allowed topic first: the broker may close the connection on the refused PUBLISH
    # (MQTT 3.1.1 3.3.5-2; MQTT 5 DISCONNECT 0x87).
    When "B" publishes "allowed" to "open/t"
    # precondition
    Then "owner" receives message "allowed" on "open/t" within 2 s
    When "B" sends PUBLISH topic "closed/t" payload "not allowed"
    Then "owner" receives no message on "closed/t" for 300 ms

    @v3.1.1 @MQTT-3.3.5-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.4-1
    Examples: MQTT 5
      | version |
      | 5       |

  @requires:qos1
  Scenario Outline: a SUBSCRIBE the second user may not make is refused, or granted without ever delivering
    # A server may refuse the filter with a failure code, or accept it and filter at delivery.
    Given the second user may only use topics under "open/"
    And client "B" connected as the second user
    When "B" sends SUBSCRIBE packet id 6 topic filter "closed/t" qos 1 topic filter "open/t" qos 1
    Then "B" receives one of these within 2 s:
      | SUBACK packet id 6 reason codes <refused> |
      | SUBACK packet id 6 reason codes <other>   |
      | SUBACK packet id 6 reason codes [1, 1]    |
    Given client "owner" connected
    When "owner" publishes "secret" to "closed/t" with qos 1
    And "owner" publishes "public" to "open/t" with qos 1
    Then "B" receives message "public" on "open/t" within 2 s
    And "B" receives no message on "closed/t" for 300 ms

    @v3.1.1 @MQTT-3.8.4-1 @MQTT-3.8.4-5 @MQTT-3.9.3-1 @MQTT-3.9.3-2
    Examples: MQTT 3.1.1
      | refused   | other     |
      | [0x80, 1] | [0x80, 1] |

    @v5 @MQTT-3.8.4-1 @MQTT-3.8.4-7 @MQTT-3.9.3-1 @MQTT-3.9.3-2
    Examples: MQTT 5
      | refused   | other     |
      | [0x87, 1] | [0x80, 1] |
