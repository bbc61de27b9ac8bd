@websocket
Feature: MQTT over WebSocket: a text message closes the connection
  MQTT control packets travel in binary WebSocket messages only; a server that receives a text
  message must close the network connection. Here the client connects over the target's
  WebSocket endpoint while the rest of the run may use TCP: the embedded broker of the default
  run opens a WebSocket listener, another target needs a ws:// URL (MQTT_BROKER_URL, or
  MQTT_WS_URL next to a TCP one). Without one the scenarios are not applicable.

  Scenario Outline: a PUBLISH sent in a text message closes the connection and is not forwarded
    Given client "sub" connected
    And "sub" subscribed to "ws/text"
    And client "A" connected over WebSocket
    # Every byte of this PUBLISH is ASCII, so the text message holds exactly the packet.
    When "A" sends in a WebSocket text message PUBLISH topic "ws/text" payload "as text"
    Then the connection of "A" is closed within 2 s
    And "sub" receives no message on "ws/text" for 300 ms

    @v3.1.1 @MQTT-6.0.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-6.0.0-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: the same PUBLISH in a binary message is delivered (control)
    Given client "sub" connected
    And "sub" subscribed to "ws/binary"
    And client "A" connected over WebSocket
    When "A" sends PUBLISH topic "ws/binary" payload "as binary"
    Then "sub" receives message "as binary" on "ws/binary" within 2 s
    And the connection of "A" stays open for 200 ms

    @v3.1.1 @MQTT-6.0.0-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-6.0.0-2
    Examples: MQTT 5
      | version |
      | 5       |
