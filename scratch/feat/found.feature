Feature: explored findings (scratch)

  @v5 @MQTT-3.3.1-13
  Scenario: explored: retained (MQTT-3.3.1-13) — seed 24
    Given client "c1" connected with clean start false and session expiry 300
    When "c1" subscribes to "ex/a/b" with qos 0
    When "c1" sends SUBSCRIBE packet id 101 topic filter "ex/a/b" qos 0 retain as published true
    Then "c1" receives SUBACK packet id 101 within 2 s
    When "c1" publishes "m2" to "ex/a/b" retained
    When 5 ms pass
    # MQTT-3.3.1-13: x6gm6awb1n5tc1: received a copy at QoS 0 (event #4) of message x6gm6awb1n5t:1 on "x6gm6awb1n5t/a/b" (published retained at QoS 0 by x6gm6awb1n5tc1): Retain As Published: RETAIN must be 1
    Then "c1" receives nothing like PUBLISH topic "ex/a/b" payload "m2" qos 0 retain false for 300 ms

  @v3.1.1 @MQTT-3.8.4-6
  Scenario: explored: overlap-qos (MQTT-3.8.4-6) — seed 21
    When "c0" connects with clean session false
    Then "c0" receives CONNACK reason code 0 within 2 s
    When "c0" subscribes to "ex/a/+" with qos 2
    When "c1" connects with clean session false
    Then "c1" receives CONNACK reason code 0 within 2 s
    When "c1" publishes "" to "ex/a/a"
    When "c0" publishes "" to "ex/a/a" with qos 1
    When "c0" disconnects
    # MQTT-3.8.4-6: x537c2p81nn6c0: received a copy at QoS 0 (event #6) of message x537c2p81nn6:e2 on "x537c2p81nn6/a/a" (published at QoS 1 by x537c2p81nn6c0): no matching subscription gives QoS 0: "x537c2p81nn6/a/+" granted 2 -> live copy at QoS 1
    Then "c0" receives nothing like PUBLISH topic "ex/a/a" payload "" qos 0 retain false for 300 ms

  @v3.1.1 @MQTT-3.3.5-1
  Scenario: explored: overlap-qos (MQTT-3.3.5-1) — seed 21
    When "c1" connects with clean session false
    Then "c1" receives CONNACK reason code 0 within 2 s
    When "c1" subscribes to "ex/#" with qos 2
    When "c1" subscribes to "ex/+/+" with qos 0
    When "c0" connects with clean session false
    Then "c0" receives CONNACK reason code 0 within 2 s
    When "c0" publishes "m2" to "ex/a/a" with qos 1
    When 5 ms pass
    # MQTT-3.3.5-1: xl1n4xc1: message xl1n4x:1 on "xl1n4x/a/a" (QoS 1) matched "xl1n4x/#" (granted 2), "xl1n4x/+/+" (granted 0): one copy must have QoS 1, got a copy at QoS 0 (event #6)
    Then "c1" receives message "m2" on "ex/a/a" with qos 1 within 2 s
