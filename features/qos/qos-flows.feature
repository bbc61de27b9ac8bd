@qos
Feature: QoS 0 and QoS 1 flows, DUP handling, granted QoS and packet identifiers
  Complements features/publish/qos1.feature. A QoS 0 PUBLISH is never acknowledged and goes
  out with DUP 0 and no packet identifier. The DUP flag of a forwarded copy says only whether
  that copy is a resend. Messages go out at the lower of published and granted QoS, at the
  highest QoS among overlapping subscriptions, and each in-flight outbound message has its
  own packet identifier.

  Scenario Outline: a QoS 0 PUBLISH is not acknowledged and is forwarded with DUP 0 and no packet identifier
    Given client "sub" connected
    And "sub" subscribed to "qf/zero" with qos 2
    And client "pub" connected
    When "pub" sends PUBLISH topic "qf/zero" qos 0 payload "fire and forget"
    Then "sub" receives PUBLISH topic "qf/zero" qos 0 dup false packet id absent payload "fire and forget" within 2 s
    And "pub" receives nothing for 300 ms

    @v3.1.1 @MQTT-3.3.4-1 @MQTT-4.3.1-1 @MQTT-3.3.1-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.4-1 @MQTT-4.3.1-1 @MQTT-3.3.1-2
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: the DUP flag of an incoming QoS 1 PUBLISH is not copied to the subscriber
    Given client "sub" connected
    And "sub" subscribed to "qf/dup" with qos 2
    And client "pub" connected
    When "pub" sends PUBLISH topic "qf/dup" qos 1 packet id 3 dup true payload "resent by the client"
    Then "sub" receives PUBLISH topic "qf/dup" qos 1 dup false payload "resent by the client" within 2 s

    @v3.1.1 @MQTT-3.3.1-3
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-3
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: the DUP flag of an incoming QoS 2 PUBLISH is not copied to the subscriber
    Given client "sub" connected
    And "sub" subscribed to "qf/dup2" with qos 2
    And client "pub" connected
    When "pub" sends PUBLISH topic "qf/dup2" qos 2 packet id 4 dup true payload "resent by the client"
    And "pub" receives PUBREC packet id 4 within 2 s
    And "pub" sends PUBREL packet id 4
    Then "sub" receives PUBLISH topic "qf/dup2" qos 2 dup false payload "resent by the client" within 2 s

    @v3.1.1 @MQTT-3.3.1-3
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-3
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: after its PUBACK, a packet identifier reused with DUP 1 is still a new message
    Given client "sub" connected
    And "sub" subscribed to "qf/reuse" with qos 1
    And client "pub" connected
    When "pub" sends PUBLISH topic "qf/reuse" qos 1 packet id 8 payload "one"
    And "pub" receives PUBACK packet id 8 within 2 s
    And "pub" sends PUBLISH topic "qf/reuse" qos 1 packet id 8 dup true payload "two"
    Then "pub" receives PUBACK packet id 8 within 2 s
    And "sub" receives message "one" on "qf/reuse" with qos 1 within 2 s
    And "sub" receives message "two" on "qf/reuse" with qos 1 within 2 s

    @v3.1.1 @MQTT-4.3.2-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.2-5 @MQTT-4.3.2-4
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a message published at QoS <published> to a QoS <granted> subscription arrives at QoS <delivered>
    Given client "sub" connected
    And "sub" subscribed to "qf/grant" with qos <granted>
    And client "pub" connected
    When "pub" publishes "graded" to "qf/grant" with qos <published>
    Then "sub" receives message "graded" on "qf/grant" with qos <delivered> within 2 s

    @v3.1.1 @MQTT-3.8.4-6 @MQTT-3.3.4-1
    Examples: MQTT 3.1.1
      | published | granted | delivered |
      | 2         | 1       | 1         |
      | 1         | 2       | 1         |

    @v5 @MQTT-3.8.4-8 @MQTT-3.3.4-1
    Examples: MQTT 5
      | published | granted | delivered |
      | 2         | 1       | 1         |
      | 1         | 2       | 1         |

  Scenario Outline: with overlapping subscriptions the message is delivered at the highest of their QoS
    Given client "sub" connected
    And "sub" subscribed to "qf/over/#" with qos 0
    And "sub" subscribed to "qf/over/a" with qos 2
    And client "pub" connected
    When "pub" publishes "overlap" to "qf/over/a" with qos 2
    Then "sub" receives message "overlap" on "qf/over/a" with qos 2 within 2 s

    @v3.1.1 @MQTT-3.3.5-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.4-2
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: QoS <qos> messages in flight to one client each get their own packet identifier
    Given client "sub" connected
    And "sub" subscribed to "qf/ids" with qos <qos>
    And client "pub" connected
    When "pub" publishes "a" to "qf/ids" with qos <qos>
    And "pub" publishes "b" to "qf/ids" with qos <qos>
    And "pub" publishes "c" to "qf/ids" with qos <qos>
    Then "sub" receives message m1 as PUBLISH topic "qf/ids" qos <qos> dup false payload "a" within 2 s
    And "sub" receives message m2 as PUBLISH topic "qf/ids" qos <qos> dup false payload "b" within 2 s
    And "sub" receives message m3 as PUBLISH topic "qf/ids" qos <qos> dup false payload "c" within 2 s
    And the packet ids of messages m1, m2 and m3 received by "sub" are all different

    @v3.1.1 @MQTT-4.3.2-1
    Examples: MQTT 3.1.1, QoS 1
      | qos |
      | 1   |

    @v3.1.1 @MQTT-4.3.3-1
    Examples: MQTT 3.1.1, QoS 2
      | qos |
      | 2   |

    @v5 @MQTT-4.3.2-1 @MQTT-4.3.2-2
    Examples: MQTT 5, QoS 1
      | qos |
      | 1   |

    @v5 @MQTT-4.3.3-1 @MQTT-4.3.3-2
    Examples: MQTT 5, QoS 2
      | qos |
      | 2   |

  Scenario Outline: a message is delivered to every client with a matching subscription
    Given client "s1" connected
    And "s1" subscribed to "qf/all/+" with qos 1
    And client "s2" connected
    And "s2" subscribed to "qf/all/x" with qos 2
    And client "pub" connected
    When "pub" publishes "for everyone" to "qf/all/x" with qos 1
    Then "s1" receives message "for everyone" on "qf/all/x" with qos 1 within 2 s
    And "s2" receives message "for everyone" on "qf/all/x" with qos 1 within 2 s

    @v3.1.1 @MQTT-4.5.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.5.0-1
    Examples: MQTT 5
      | version |
      | 5       |

  @v5 @MQTT-3.3.4-9
  Scenario: the server keeps no more unacknowledged QoS 1 messages in flight than the client's Receive Maximum
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "qf/window" with qos 1
    And client "pub" connected
    When "pub" publishes "first" to "qf/window" with qos 1
    And "pub" publishes "second" to "qf/window" with qos 1
    Then "sub" receives message m1 as PUBLISH topic "qf/window" payload "first" within 2 s
    And "sub" receives nothing like PUBLISH payload "second" for 500 ms
    When "sub" acknowledges message m1 with PUBACK
    Then "sub" receives message "second" on "qf/window" with qos 1 within 2 s
