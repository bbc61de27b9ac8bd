@sessions @qos
Feature: Redelivery of unacknowledged packets when a session resumes
  When a client with a kept session comes back, the server sends again every QoS 1 and QoS 2
  PUBLISH it has not seen acknowledged (DUP 1, same packet identifier) and every PUBREL still
  waiting for its PUBCOMP. It sends nothing again at any other time. As a receiver, the server
  keeps the state of an unfinished inbound QoS 2 exchange with the session.

  Scenario Outline: an unacknowledged QoS <qos> PUBLISH is resent with DUP 1 and the same packet id
    Given client "sub" connected with <session>
    And "sub" subscribed to "red/pub" with qos <qos>
    And client "pub" connected
    When "pub" publishes "unacked" to "red/pub" with qos <qos>
    # checks MQTT-4.3.2-1, MQTT-4.3.3-1
    Then "sub" receives message m1 as PUBLISH topic "red/pub" qos <qos> dup false payload "unacked" within 2 s
    When "sub" drops the connection
    And 50 ms pass
    And "sub" connects with <session>
    # precondition
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    # The same message is resent with its original packet id (4.4.0-1) ...
    # checks MQTT-4.4.0-1, MQTT-4.3.2-3, MQTT-4.3.3-3
    And "sub" receives message m1 as PUBLISH topic "red/pub" qos <qos> payload "unacked" within 2 s
    # ... and with DUP 1 (3.3.1-1): a broker can break one without the other.
    # checks MQTT-3.3.1-1
    And the last packet "sub" received matches PUBLISH dup true
    When "sub" acknowledges message m1 with <ack>
    # checks MQTT-4.4.0-1
    Then "sub" receives nothing like PUBLISH payload "unacked" for 300 ms

    @v3.1.1 @MQTT-4.4.0-1 @MQTT-3.3.1-1 @MQTT-4.3.2-1
    Examples: MQTT 3.1.1, QoS 1
      | session             | qos | ack    |
      | clean session false | 1   | PUBACK |

    @v3.1.1 @MQTT-4.4.0-1 @MQTT-3.3.1-1 @MQTT-4.3.3-1
    Examples: MQTT 3.1.1, QoS 2
      | session             | qos | ack    |
      | clean session false | 2   | PUBREC |

    @v5 @MQTT-4.4.0-1 @MQTT-3.3.1-1 @MQTT-4.3.2-3
    Examples: MQTT 5, QoS 1
      | session                                 | qos | ack    |
      | clean start false and session expiry 30 | 1   | PUBACK |

    @v5 @MQTT-4.4.0-1 @MQTT-3.3.1-1 @MQTT-4.3.3-3
    Examples: MQTT 5, QoS 2
      | session                                 | qos | ack    |
      | clean start false and session expiry 30 | 2   | PUBREC |

  Scenario Outline: a PUBREL without its PUBCOMP is resent, and the PUBLISH is not
    Given client "sub" connected with <session>
    And "sub" subscribed to "red/rel" with qos 2
    And client "pub" connected
    When "pub" publishes "released" to "red/rel" with qos 2
    Then "sub" receives message m1 as PUBLISH topic "red/rel" qos 2 payload "released" within 2 s
    When "sub" acknowledges message m1 with PUBREC
    # checks MQTT-4.3.3-1, MQTT-4.3.3-4
    Then "sub" receives message m1 as PUBREL within 2 s
    When "sub" drops the connection
    And 50 ms pass
    And "sub" connects with <session>
    # precondition
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    # checks MQTT-4.4.0-1, MQTT-4.3.3-5
    And "sub" receives message m1 as PUBREL within 2 s
    # checks MQTT-4.3.3-1, MQTT-4.3.3-6
    And "sub" receives nothing like PUBLISH payload "released" for 300 ms
    When "sub" acknowledges message m1 with PUBCOMP
    # checks MQTT-4.4.0-1
    Then "sub" receives nothing for 300 ms

    @v3.1.1 @MQTT-4.4.0-1 @MQTT-4.3.3-1
    Examples: MQTT 3.1.1
      | session             |
      | clean session false |

    @v5 @MQTT-4.4.0-1 @MQTT-4.3.3-4 @MQTT-4.3.3-5 @MQTT-4.3.3-6
    Examples: MQTT 5
      | session                                 |
      | clean start false and session expiry 30 |

  @v5 @MQTT-4.4.0-1
  Scenario: unacknowledged messages are not resent while the connection stays up
    Given client "sub" connected
    And "sub" subscribed to "red/none" with qos 2
    And client "pub" connected
    When "pub" publishes "once at 1" to "red/none" with qos 1
    And "pub" publishes "once at 2" to "red/none" with qos 2
    Then "sub" receives PUBLISH topic "red/none" qos 1 dup false payload "once at 1" within 2 s
    And "sub" receives PUBLISH topic "red/none" qos 2 dup false payload "once at 2" within 2 s
    And "sub" receives nothing like PUBLISH topic "red/none" for 1 s

  Scenario Outline: queued messages are delivered in the order they were published, after the resent ones
    Given client "sub" connected with <session>
    And "sub" subscribed to "red/order" with qos 1
    And client "pub" connected
    When "pub" publishes "1" to "red/order" with qos 1
    Then "sub" receives PUBLISH payload "1" dup false within 2 s
    When "sub" drops the connection
    And 50 ms pass
    And "pub" publishes "2" to "red/order" with qos 1
    And "pub" publishes "3" to "red/order" with qos 1
    And "sub" connects with <session>
    # precondition
    Then "sub" next receives CONNACK reason code 0 session present true within 2 s
    # The resend with its original packet id is 4.4.0-1; its DUP flag is 3.3.1-1, checked by the
    # outline at the top of this file.
    # checks MQTT-4.4.0-1
    And "sub" next receives PUBLISH payload "1" within 2 s
    # Each is acknowledged: the broker may keep one message in flight at a time.
    When "sub" acknowledges the last PUBLISH
    # checks MQTT-3.1.2-5, MQTT-4.6.0-6, MQTT-4.6.0-5
    Then "sub" next receives PUBLISH payload "2" within 2 s
    When "sub" acknowledges the last PUBLISH
    # checks MQTT-3.1.2-5, MQTT-4.6.0-6, MQTT-4.6.0-5
    Then "sub" next receives PUBLISH payload "3" within 2 s

    @v3.1.1 @MQTT-4.4.0-1 @MQTT-4.6.0-6 @MQTT-3.1.2-5
    Examples: MQTT 3.1.1
      | session             |
      | clean session false |

    @v5 @MQTT-4.4.0-1 @MQTT-4.6.0-5 @MQTT-3.1.2-5
    Examples: MQTT 5
      | session                                 |
      | clean start false and session expiry 30 |

  Scenario Outline: an unfinished inbound QoS 2 exchange survives a reconnect and delivers the message once
    Given client "sub" connected
    And "sub" subscribed to "red/inbound" with qos 2
    And client "pub" connected with <session>
    When "pub" sends PUBLISH topic "red/inbound" qos 2 packet id 20 payload "exactly once"
    Then "pub" receives PUBREC packet id 20 within 2 s
    When "pub" drops the connection
    And 50 ms pass
    And "pub" connects with <session>
    # checks MQTT-3.2.2-2, MQTT-3.2.2-3
    Then "pub" receives CONNACK reason code 0 session present true within 2 s
    When "pub" sends PUBLISH topic "red/inbound" qos 2 packet id 20 dup true payload "exactly once"
    # checks MQTT-4.3.3-2, MQTT-4.3.3-10, MQTT-4.1.0-1, MQTT-3.1.2-4, MQTT-3.1.2-5
    Then "pub" receives PUBREC packet id 20 within 2 s
    When "pub" sends PUBREL packet id 20
    # checks MQTT-4.3.3-11, MQTT-4.1.0-1, MQTT-3.1.2-4, MQTT-3.1.2-5
    Then "pub" receives PUBCOMP packet id 20 reason code 0 within 2 s
    # checks MQTT-4.3.3-2, MQTT-4.3.3-10, MQTT-4.1.0-1, MQTT-3.1.2-4, MQTT-3.1.2-5
    And "sub" receives message "exactly once" on "red/inbound" with qos 2 within 2 s
    # checks MQTT-4.3.3-2, MQTT-4.3.3-10
    And "sub" receives nothing like PUBLISH payload "exactly once" for 500 ms

    @v3.1.1 @MQTT-4.3.3-2 @MQTT-4.1.0-1 @MQTT-3.1.2-4 @MQTT-3.2.2-2
    Examples: MQTT 3.1.1
      | session             |
      | clean session false |

    @v5 @MQTT-4.3.3-10 @MQTT-4.3.3-11 @MQTT-3.1.2-5 @MQTT-3.2.2-3
    Examples: MQTT 5
      | session                                 |
      | clean start false and session expiry 30 |

  @v5 @MQTT-4.4.0-2
  Scenario: a PUBLISH answered with a PUBACK of 0x80 or above is not resent on resumption
    Given client "sub" connected with clean start false and session expiry 30
    And "sub" subscribed to "red/refused" with qos 1
    And client "pub" connected
    When "pub" publishes "refused" to "red/refused" with qos 1
    Then "sub" receives message m1 as PUBLISH topic "red/refused" qos 1 payload "refused" within 2 s
    When "sub" acknowledges message m1 with PUBACK reason code 0x80
    And 100 ms pass
    And "sub" drops the connection
    And 50 ms pass
    And "sub" connects with clean start false and session expiry 30
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    And "sub" receives nothing like PUBLISH payload "refused" for 500 ms
