@keep-alive @timing
Feature: Keep Alive, PINGREQ and PINGRESP
  The server answers every PINGREQ with a PINGRESP. With a non-zero Keep Alive it closes a
  connection on which nothing has arrived for one and a half times the Keep Alive (here 1 s,
  so 1.5 s); any control packet from the client restarts that clock, and Keep Alive 0 turns the
  mechanism off. An MQTT 5.0 server that sends no Server Keep Alive uses the client's value.
  The spec says when the server must act, not how soon: brokers check keep alive on coarse
  timers (3.8 to 5.4 s for a 1 s Keep Alive measured on real brokers), so the close is awaited
  for up to 6 s. These scenarios are @timing: a failure is re-checked once at three times the
  time scale, and one that then holds is reported as timing-sensitive (advisory).

  Scenario Outline: each PINGREQ is answered with a PINGRESP
    Given client "A" connected
    When "A" sends PINGREQ
    Then "A" next receives PINGRESP within 2 s
    When "A" sends PINGREQ
    And "A" sends PINGREQ
    Then "A" next receives PINGRESP within 2 s
    And "A" next receives PINGRESP within 2 s

    @v3.1.1 @MQTT-3.12.4-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.12.4-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a silent client is disconnected after one and a half times its Keep Alive
    Given client "A" connected with keep alive 1
    And "A" was given no Server Keep Alive
    Then the connection of "A" stays open for 900 ms
    # checks if sent MQTT-3.14.0-1, MQTT-3.14.2-1
    And the connection of "A" is closed within 6 s, with reason code 0x8D if the broker sends one

    @v3.1.1 @MQTT-3.1.2-24
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-22 @MQTT-3.2.2-22 @MQTT-3.14.0-1 @MQTT-3.14.2-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: traffic within the Keep Alive keeps the connection open; silence afterwards closes it
    Given client "A" connected with keep alive 1
    And "A" was given no Server Keep Alive
    When 700 ms pass
    And "A" sends PUBLISH topic "ka/traffic" payload "alive"
    Then the connection of "A" stays open for 900 ms
    And the connection of "A" is closed within 6 s, with reason code 0x8D if the broker sends one

    @v3.1.1 @MQTT-3.1.2-24
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-22 @MQTT-3.2.2-22
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: Keep Alive 0 turns the keep-alive timeout off
    Given client "A" connected with keep alive 0
    Then the connection of "A" stays open for 1.6 s
    When "A" sends PINGREQ
    Then "A" receives PINGRESP within 2 s

    @v3.1.1 @MQTT-3.1.2-24 @MQTT-3.12.4-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.1.2-22 @MQTT-3.12.4-1
    Examples: MQTT 5
      | version |
      | 5       |

  @v5 @MQTT-3.12.4-1 @MQTT-3.3.4-10
  Scenario: PINGRESP is sent even while the client's Receive Maximum window is full
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "ka/window" with qos 1
    And client "pub" connected
    When "pub" publishes "first" to "ka/window" with qos 1
    And "pub" publishes "second" to "ka/window" with qos 1
    Then "sub" receives PUBLISH topic "ka/window" qos 1 payload "first" within 2 s
    When "sub" sends PINGREQ
    Then "sub" receives PINGRESP within 1 s
    And "sub" receives nothing like PUBLISH payload "second" for 300 ms
