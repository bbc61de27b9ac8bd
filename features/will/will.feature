@will
Feature: Last Will and Testament
  A Will given in CONNECT is stored with the connection (5.0: with the session) and published
  by the server when the connection ends in any way other than a normal DISCONNECT: the network
  drops, the keep alive expires, or the server closes it for a protocol error. A normal
  DISCONNECT discards it, and once published it is gone.

  Scenario Outline: the Will is published when the network connection drops
    Given client "mon" connected
    And "mon" subscribed to "will/drop" with qos 1
    And client "A" connected with will topic "will/drop" and will payload "A is gone"
    When "A" drops the connection
    Then "mon" receives message "A is gone" on "will/drop" within 2 s

    @v3.1.1 @MQTT-3.1.2-8
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-7 @MQTT-3.1.2-8
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: the Will is published when the client closes the connection without DISCONNECT
    Given client "mon" connected
    And "mon" subscribed to "will/fin" with qos 0
    And client "A" connected with will topic "will/fin" and will payload "closed"
    When "A" closes the connection without DISCONNECT
    Then "mon" receives message "closed" on "will/fin" within 2 s

    @v3.1.1 @MQTT-3.1.2-8
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-8
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a normal DISCONNECT discards the Will
    Given client "mon" connected
    And "mon" subscribed to "will/normal" with qos 1
    And client "A" connected with will topic "will/normal" and will payload "should not appear"
    When "A" disconnects
    Then "mon" receives no message on "will/normal" for 500 ms

    @v3.1.1 @MQTT-3.1.2-10 @MQTT-3.14.4-3 @MQTT-3.1.2-8
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-10 @MQTT-3.14.4-3 @MQTT-3.1.2-8
    Examples: MQTT 5
      | version |
      | 5       |

  @timing
  Scenario Outline: the Will is published when the keep alive expires
    Given client "mon" connected
    And "mon" subscribed to "will/ka" with qos 1
    And client "A" connected with keep alive 1 and will topic "will/ka" and will payload "timed out"
    # Brokers check keep alive on coarse timers (up to 5.4 s for a 1 s Keep Alive measured).
    Then "mon" receives message "timed out" on "will/ka" within 7 s

    @v3.1.1 @MQTT-3.1.2-8 @MQTT-3.1.2-24
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-8 @MQTT-3.1.2-22
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: the Will is published when the server closes the connection for a protocol error (<error>)
    Given client "mon" connected
    And "mon" subscribed to "will/err" with qos 1
    And client "A" connected with will topic "will/err" and will payload "broken"
    When "A" sends raw "<bytes>"
    # checks MQTT-3.1.0-2, MQTT-3.6.1-1
    Then the connection of "A" is closed within 2 s, with reason code <code> if the broker sends one
    # checks MQTT-3.1.2-8
    And "mon" receives message "broken" on "will/err" within 2 s

    @v3.1.1 @MQTT-3.1.2-8 @MQTT-3.1.0-2
    Examples: MQTT 3.1.1, a second CONNECT
      | error          | bytes                                          | code |
      | second CONNECT | 10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 62   | 0x82 |

    @v3.1.1 @MQTT-3.1.2-8 @MQTT-3.6.1-1
    Examples: MQTT 3.1.1, a malformed PUBREL
      | error              | bytes       | code |
      | PUBREL flags 0000  | 60 02 00 01 | 0x81 |

    @v5 @MQTT-3.1.2-8 @MQTT-3.1.0-2
    Examples: MQTT 5, a second CONNECT
      | error          | bytes                                             | code |
      | second CONNECT | 10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 62   | 0x82 |

    @v5 @MQTT-3.1.2-8 @MQTT-3.6.1-1
    Examples: MQTT 5, a malformed PUBREL
      | error             | bytes       | code |
      | PUBREL flags 0000 | 60 02 00 01 | 0x81 |

  Scenario Outline: the Will is published at its Will QoS
    Given client "mon" connected
    And "mon" subscribed to "will/qos" with qos 2
    And client "A" connected with will topic "will/qos" and will payload "q" and will qos <qos>
    When "A" drops the connection
    Then "mon" receives PUBLISH topic "will/qos" payload "q" qos <qos> retain false within 2 s

    @v3.1.1 @MQTT-3.1.2-8 @MQTT-3.1.2-16
    Examples: MQTT 3.1.1
      | qos |
      | 1   |
      | 2   |

    @v5 @MQTT-3.1.2-8 @MQTT-3.1.2-14
    Examples: MQTT 5
      | qos |
      | 1   |
      | 2   |

  Scenario Outline: a Will with Will Retain 0 is not kept as a retained message
    Given client "mon" connected
    And "mon" subscribed to "will/nr" with qos 1
    And client "A" connected with will topic "will/nr" and will payload "not kept" and will retain false
    When "A" drops the connection
    Then "mon" receives PUBLISH topic "will/nr" payload "not kept" retain false within 2 s
    When client "late" connected
    And "late" subscribed to "will/nr" with qos 1
    Then "late" receives no message on "will/nr" for 500 ms

    @v3.1.1 @MQTT-3.1.2-16
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-14
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a Will with Will Retain 1 is published as a retained message
    Given the broker supports retain
    And client "mon" connected
    And "mon" subscribed to "will/ret" with qos 1
    And client "A" connected with will topic "will/ret" and will payload "kept" and will retain true
    When "A" drops the connection
    Then "mon" receives message "kept" on "will/ret" within 2 s
    When client "late" connected
    And "late" subscribed to "will/ret" with qos 1
    Then "late" receives PUBLISH topic "will/ret" payload "kept" retain true within 2 s
    # clear the retained Will
    When "late" publishes "" to "will/ret" retained

    @v3.1.1 @MQTT-3.1.2-17
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-15
    Examples: MQTT 5
      | version |
      | 5       |

  @v3.1.1 @MQTT-3.1.2-12
  Scenario: a connection without a Will publishes nothing when it drops
    Given client "mon" connected
    And "mon" subscribed to "will/#" with qos 1
    And client "A" connected
    When "A" drops the connection
    Then "mon" receives no message for 500 ms

  Scenario Outline: a published Will is removed: the next connection of the same client has none
    Given client "mon" connected
    And "mon" subscribed to "will/once" with qos 1
    And client "A" connected with <session> and will topic "will/once" and will payload "once"
    When "A" drops the connection
    Then "mon" receives message "once" on "will/once" within 2 s
    When "A" connects with <session>
    Then "A" receives CONNACK reason code 0 within 2 s
    When "A" drops the connection
    Then "mon" receives no message on "will/once" for 500 ms

    @v3.1.1 @MQTT-3.1.2-10 @MQTT-3.1.2-12
    Examples: MQTT 3.1.1
      | session             |
      | clean session false |

    @v5 @MQTT-3.1.2-10
    Examples: MQTT 5
      | session                                  |
      | clean start false and session expiry 30 |
