@ordering
Feature: Message ordering (4.6)
  Unless configured otherwise every topic is an Ordered Topic: the messages one client
  publishes to a topic reach each subscriber, for the same QoS, in the order the server
  received them, whether the subscriber acknowledges them at once or not.

  Scenario Outline: QoS <qos> messages from one publisher reach the subscriber in publishing order
    Given client "sub" connected
    And "sub" subscribed to "ord/topic" with qos <qos>
    And client "pub" connected
    When "pub" publishes "1" to "ord/topic" with qos <qos>
    And "pub" publishes "2" to "ord/topic" with qos <qos>
    And "pub" publishes "3" to "ord/topic" with qos <qos>
    And "pub" publishes "4" to "ord/topic" with qos <qos>
    And "pub" publishes "5" to "ord/topic" with qos <qos>
    Then "sub" next receives PUBLISH topic "ord/topic" qos <qos> payload "1" within 2 s
    And "sub" next receives PUBLISH topic "ord/topic" qos <qos> payload "2" within 2 s
    And "sub" next receives PUBLISH topic "ord/topic" qos <qos> payload "3" within 2 s
    And "sub" next receives PUBLISH topic "ord/topic" qos <qos> payload "4" within 2 s
    And "sub" next receives PUBLISH topic "ord/topic" qos <qos> payload "5" within 2 s

    @v3.1.1 @MQTT-4.6.0-5 @MQTT-4.6.0-6
    Examples: MQTT 3.1.1
      | qos |
      | 0   |
      | 1   |
      | 2   |

    @v5 @MQTT-4.6.0-5 @MQTT-4.6.0-6
    Examples: MQTT 5
      | qos |
      | 0   |
      | 1   |
      | 2   |

  Scenario Outline: QoS 1 messages sent back to back without waiting for PUBACK keep their order
    Given client "sub" connected
    And "sub" subscribed to "ord/burst" with qos 1
    And client "pub" connected
    When "pub" sends PUBLISH topic "ord/burst" qos 1 packet id 1 payload "a"
    And "pub" sends PUBLISH topic "ord/burst" qos 1 packet id 2 payload "b"
    And "pub" sends PUBLISH topic "ord/burst" qos 1 packet id 3 payload "c"
    And "pub" sends PUBLISH topic "ord/burst" qos 1 packet id 4 payload "d"
    Then "pub" receives PUBACK packet id 1 within 2 s
    And "pub" receives PUBACK packet id 2 within 2 s
    And "pub" receives PUBACK packet id 3 within 2 s
    And "pub" receives PUBACK packet id 4 within 2 s
    And "sub" next receives PUBLISH topic "ord/burst" qos 1 payload "a" within 2 s
    And "sub" next receives PUBLISH topic "ord/burst" qos 1 payload "b" within 2 s
    And "sub" next receives PUBLISH topic "ord/burst" qos 1 payload "c" within 2 s
    And "sub" next receives PUBLISH topic "ord/burst" qos 1 payload "d" within 2 s

    @v3.1.1 @MQTT-4.6.0-5 @MQTT-4.6.0-6
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.6.0-5 @MQTT-4.6.0-6
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: every subscriber of a topic sees one publisher's QoS 2 messages in the same order
    Given client "s1" connected
    And "s1" subscribed to "ord/fan" with qos 2
    And client "s2" connected
    And "s2" subscribed to "ord/+" with qos 2
    And client "pub" connected
    When "pub" publishes "x" to "ord/fan" with qos 2
    And "pub" publishes "y" to "ord/fan" with qos 2
    And "pub" publishes "z" to "ord/fan" with qos 2
    Then "s1" next receives PUBLISH topic "ord/fan" payload "x" within 2 s
    And "s1" next receives PUBLISH topic "ord/fan" payload "y" within 2 s
    And "s1" next receives PUBLISH topic "ord/fan" payload "z" within 2 s
    And "s2" next receives PUBLISH topic "ord/fan" payload "x" within 2 s
    And "s2" next receives PUBLISH topic "ord/fan" payload "y" within 2 s
    And "s2" next receives PUBLISH topic "ord/fan" payload "z" within 2 s

    @v3.1.1 @MQTT-4.6.0-5 @MQTT-4.6.0-6
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.6.0-5 @MQTT-4.6.0-6
    Examples: MQTT 5
      | version |
      | 5       |
