@depth
Feature: Packet identifiers wrapping past 65535
  Packet identifiers are 16-bit and never 0: after 65535 they start again at 1. A client that
  wraps its identifiers mid-burst has every message acknowledged with its own identifier, and
  a broker that has sent more than 65535 QoS 1 messages on one connection keeps them apart.

  Scenario Outline: a QoS <qos> burst whose packet ids wrap past 65535 is acknowledged and delivered in full
    Given client "sub" connected
    And "sub" subscribed to "depth/wrap" with qos <qos>
    And client "pub" connected
    When "pub" publishes 100 messages "w" to "depth/wrap" with qos <qos> without waiting, packet ids from 65500
    Then the broker acknowledged all 100 messages of "pub"
    And "sub" receives exactly the 100 messages "w" on "depth/wrap" with qos <qos> in order within 10 s

    @v3.1.1 @MQTT-2.3.1-6 @MQTT-4.3.2-2
    Examples: MQTT 3.1.1, QoS 1
      | qos |
      | 1   |

    @v3.1.1 @MQTT-2.3.1-6 @MQTT-4.3.3-2
    Examples: MQTT 3.1.1, QoS 2
      | qos |
      | 2   |

    @v5 @MQTT-2.2.1-5 @MQTT-4.3.2-4
    Examples: MQTT 5, QoS 1
      | qos |
      | 1   |

    @v5 @MQTT-2.2.1-5 @MQTT-4.3.3-8
    Examples: MQTT 5, QoS 2
      | qos |
      | 2   |

  Scenario Outline: the broker's own packet ids wrap past 65535 on one connection without losing a message
    Given client "sub" connected
    And "sub" subscribed to "depth/wrap-out" with qos 1
    And "sub" acknowledges and counts up to 66000 messages "o" on "depth/wrap-out"
    And client "pub" connected
    When "pub" publishes 66000 messages "o" to "depth/wrap-out" with qos 1 without waiting
    Then the broker acknowledged all 66000 messages of "pub"
    And "sub" receives exactly the 66000 messages "o" on "depth/wrap-out" with qos 1 in order within 60 s

    @v3.1.1 @MQTT-2.3.1-4 @MQTT-2.3.1-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-2.2.1-4
    Examples: MQTT 5
      | version |
      | 5       |
