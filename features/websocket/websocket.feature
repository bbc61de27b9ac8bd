@websocket
Feature: MQTT over WebSocket
  Over WebSocket, MQTT packets travel in binary messages, the server picks the subprotocol
  "mqtt", and packet boundaries need not match message boundaries: one packet may be split
  over several messages and one message may hold several packets. Each "sends raw" step
  below is one binary WebSocket message. These scenarios need a WebSocket endpoint: the run's
  URL when it is ws:// or wss://, else MQTT_WS_URL or the embedded broker's WebSocket listener
  (the test client refuses a server that does not pick "mqtt").

  Scenario Outline: the server selects the subprotocol "mqtt" and the session works
    Given the target is reached over WebSocket
    And client "A" connected
    And "A" subscribed to "ws/echo"
    When "A" publishes "over websocket" to "ws/echo"
    Then "A" receives message "over websocket" on "ws/echo" within 2 s

    @v3.1.1 @MQTT-6.0.0-4
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-6.0.0-4
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a CONNECT split over two WebSocket messages is answered
    Given the target is reached over WebSocket
    And client "A" opened a network connection
    # The fixed header and the first two bytes of the protocol name, then the rest: two binary
    # messages (the CONNECT has the client's per-scenario id and the target's credentials).
    When "A" sends its CONNECT in two parts, split after byte 6
    Then "A" receives CONNACK reason code 0 within 2 s

    @v3.1.1 @MQTT-6.0.0-2 @MQTT-6.0.0-4
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-6.0.0-2 @MQTT-6.0.0-4
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a PUBLISH split over three WebSocket messages is delivered whole
    Given the target is reached over WebSocket
    And topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/ws/<v>"
    And client "A" connected
    # PUBLISH QoS 0 to "dr/ws/<v>" payload "split": the first message holds only the first byte.
    When "A" sends raw "30"
    And "A" sends raw "<second>"
    And "A" sends raw "<third>"
    Then "sub" receives message "split" on "dr/ws/<v>" within 2 s
    And the connection of "A" stays open for 200 ms

    @v3.1.1 @MQTT-6.0.0-2
    Examples: MQTT 3.1.1
      | v   | second               | third                                   |
      | 311 | 10 00 09 64 72 2f    | 77 73 2f 33 31 31 73 70 6c 69 74        |

    @v5 @MQTT-6.0.0-2
    Examples: MQTT 5
      | v   | second               | third                                   |
      | 5   | 0f 00 07 64 72 2f    | 77 73 2f 35 00 73 70 6c 69 74           |

  Scenario Outline: SUBSCRIBE, PUBLISH and PINGREQ in one WebSocket message are each handled
    Given the target is reached over WebSocket
    And topics are not prefixed
    And client "A" connected
    When "A" sends raw "<packets>"
    Then "A" receives SUBACK packet id 7 within 2 s
    And "A" receives message "one frame" on "dr/wsm/<v>" within 2 s
    And "A" receives PINGRESP within 2 s

    # SUBSCRIBE packet id 7 to "dr/wsm/<v>", PUBLISH QoS 0 "one frame" to it, PINGREQ
    @v3.1.1 @MQTT-6.0.0-2
    Examples: MQTT 3.1.1
      | v   | packets                                                                                                                            |
      | 311 | 82 0f 00 07 00 0a 64 72 2f 77 73 6d 2f 33 31 31 00 30 15 00 0a 64 72 2f 77 73 6d 2f 33 31 31 6f 6e 65 20 66 72 61 6d 65 c0 00       |

    @v5 @MQTT-6.0.0-2
    Examples: MQTT 5
      | v   | packets                                                                                                                            |
      | 5   | 82 0e 00 07 00 00 08 64 72 2f 77 73 6d 2f 35 00 30 14 00 08 64 72 2f 77 73 6d 2f 35 00 6f 6e 65 20 66 72 61 6d 65 c0 00             |
