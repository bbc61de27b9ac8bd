@depth
Feature: A 16 MB payload
  A QoS 1 PUBLISH with a 16 MiB payload reaches the subscriber intact, where the broker's
  Maximum Packet Size (5.0 CONNACK) allows a packet that large; otherwise not applicable.

  Scenario Outline: a 16 MiB payload is delivered intact
    Given client "sub" connected
    And "sub" subscribed to "depth/big" with qos 1
    And client "pub" connected
    When "pub" publishes a payload of 16777216 bytes to "depth/big" with qos 1, if the broker allows packets that large
    Then "sub" receives the 16777216-byte payload on "depth/big" intact within 20 s

    @v3.1.1 @MQTT-4.5.0-1 @MQTT-3.3.4-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.5.0-1 @MQTT-3.3.4-1
    Examples: MQTT 5
      | version |
      | 5       |
