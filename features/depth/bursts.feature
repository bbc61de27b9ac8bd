@depth
Feature: Bursts of QoS 1 and QoS 2 messages sent without waiting
  A publisher sends 150 messages without waiting for any acknowledgement (within the broker's
  Receive Maximum at 5.0). Every one is acknowledged, and the subscriber gets every one exactly
  once, in publishing order, at the subscribed QoS: exact accounting of each acknowledged message.

  Scenario Outline: 150 QoS <qos> messages published without waiting all arrive once, in order
    Given client "sub" connected
    And "sub" subscribed to "depth/burst" with qos <qos>
    And client "pub" connected
    When "pub" publishes 150 messages "b" to "depth/burst" with qos <qos> without waiting
    Then the broker acknowledged all 150 messages of "pub"
    And "sub" receives exactly the 150 messages "b" on "depth/burst" with qos <qos> in order within 10 s

    @v3.1.1 @MQTT-4.3.2-2 @MQTT-4.6.0-6 @MQTT-2.3.1-4 @MQTT-4.5.0-1
    Examples: MQTT 3.1.1, QoS 1
      | qos |
      | 1   |

    @v3.1.1 @MQTT-4.3.3-2 @MQTT-4.6.0-6 @MQTT-2.3.1-4 @MQTT-4.5.0-1
    Examples: MQTT 3.1.1, QoS 2
      | qos |
      | 2   |

    @v5 @MQTT-4.3.2-4 @MQTT-4.6.0-5 @MQTT-2.2.1-4 @MQTT-4.5.0-1
    Examples: MQTT 5, QoS 1
      | qos |
      | 1   |

    @v5 @MQTT-4.3.3-8 @MQTT-4.6.0-5 @MQTT-2.2.1-4 @MQTT-4.5.0-1
    Examples: MQTT 5, QoS 2
      | qos |
      | 2   |
