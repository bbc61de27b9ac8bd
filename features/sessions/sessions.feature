@sessions
Feature: Session state across connections
  A client that connects with CleanSession 0 (3.1.1) or Clean Start 0 and a Session Expiry
  Interval above 0 (5.0) finds its session again when it comes back: the server says Session
  Present, keeps its subscriptions, delivers the QoS 1 and QoS 2 messages that arrived while it
  was away, and resends the PUBLISH and PUBREL packets that were never acknowledged, with their
  original packet identifiers. A clean connection throws any old session away.

  Scenario Outline: a first connection without a clean session gets Session Present 0
    Given client "A" opened a network connection
    When "A" connects with <session>
    Then "A" next receives CONNACK reason code 0 session present false within 2 s

    @v3.1.1 @MQTT-3.2.2-3 @MQTT-3.1.2-4
    Examples: MQTT 3.1.1
      | session             |
      | clean session false |

    @v5 @MQTT-3.1.2-6 @MQTT-3.2.2-3
    Examples: MQTT 5
      | session                                 |
      | clean start false and session expiry 30 |

  Scenario Outline: a resumed session keeps its subscription and delivers the QoS <qos> messages queued meanwhile
    Given client "sub" connected with <session>
    And "sub" subscribed to "ses/queue" with qos <qos>
    When "sub" disconnects
    And client "pub" connected
    And "pub" publishes "while away" to "ses/queue" with qos <qos>
    And "sub" connects with <session>
    # checks MQTT-3.2.2-2, MQTT-3.2.2-3
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    And "sub" receives message "while away" on "ses/queue" with qos <qos> within 2 s
    When "pub" publishes "after return" to "ses/queue" with qos <qos>
    Then "sub" receives message "after return" on "ses/queue" with qos <qos> within 2 s

    @v3.1.1 @MQTT-3.1.2-4 @MQTT-3.1.2-5 @MQTT-3.2.2-2 @MQTT-4.1.0-1 @MQTT-4.1.0-2 @MQTT-4.5.0-1
    Examples: MQTT 3.1.1
      | session             | qos |
      | clean session false | 1   |
      | clean session false | 2   |

    @v5 @MQTT-3.1.2-5 @MQTT-3.1.2-23 @MQTT-3.2.2-3 @MQTT-4.5.0-1
    Examples: MQTT 5
      | session                                 | qos |
      | clean start false and session expiry 30 | 1   |
      | clean start false and session expiry 30 | 2   |

  Scenario Outline: a clean connection discards the old session and its own session is not kept afterwards
    Given client "sub" connected with <session>
    And "sub" subscribed to "ses/clean" with qos 1
    When "sub" disconnects
    And "sub" connects with clean session true
    Then "sub" receives CONNACK reason code 0 session present false within 2 s
    When client "pub" connected
    And "pub" publishes "nobody listens" to "ses/clean" with qos 1
    Then "sub" receives no message on "ses/clean" for 500 ms
    When "sub" disconnects
    And "sub" connects with <session>
    Then "sub" receives CONNACK reason code 0 session present false within 2 s

    @v3.1.1 @MQTT-3.1.2-6 @MQTT-3.2.2-1 @MQTT-3.2.2-3
    Examples: MQTT 3.1.1
      | session             |
      | clean session false |

    @v5 @MQTT-3.1.2-4 @MQTT-3.2.2-2 @MQTT-3.2.2-3
    Examples: MQTT 5
      | session                                 |
      | clean start false and session expiry 30 |

  Scenario Outline: a second connection with the same client id takes over: the old one is closed
    Given client "A" connected with client id "same"
    When client "B" connected with client id "same"
    Then the connection of "A" is closed within 2 s, with reason code 0x8E if the broker sends one
    When "B" sends PINGREQ
    Then "B" receives PINGRESP within 2 s

    @v3.1.1 @MQTT-3.1.4-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.4-3
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a takeover without a clean session continues the same session
    Given client "A" connected with client id "same" and <session>
    And "A" subscribed to "ses/takeover" with qos 1
    When "B" connects with client id "same" and <session>
    # checks MQTT-3.2.2-2, MQTT-3.2.2-3
    Then "B" receives CONNACK reason code 0 session present true within 2 s
    # checks MQTT-3.1.4-2, MQTT-3.1.4-3
    And the connection of "A" is closed within 2 s, with reason code 0x8E if the broker sends one
    When client "pub" connected
    And "pub" publishes "to the new connection" to "ses/takeover" with qos 1
    Then "B" receives message "to the new connection" on "ses/takeover" with qos 1 within 2 s

    @v3.1.1 @MQTT-3.1.4-2 @MQTT-3.1.2-4 @MQTT-3.2.2-2
    Examples: MQTT 3.1.1
      | session             |
      | clean session false |

    @v5 @MQTT-3.1.4-3 @MQTT-3.1.2-5 @MQTT-3.2.2-3
    Examples: MQTT 5
      | session                                 |
      | clean start false and session expiry 30 |
