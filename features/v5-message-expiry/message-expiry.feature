@v5 @message-expiry
Feature: Message Expiry Interval
  A PUBLISH may carry a Message Expiry Interval in seconds. A copy the server has not started to
  deliver when that time is up is deleted; a copy it delivers later carries the interval minus the
  time the message waited in the server. Retained messages expire the same way. Once a QoS 2
  PUBLISH has been sent, expiry no longer stops its acknowledgement exchange.
  Scenarios whose verdict depends on the broker's expiry timer are @timing (a failure is
  re-checked at three times the time scale); a 1 s expiry is checked after 2.2 s.

  @MQTT-3.3.2-5 @timing
  Scenario: a message that expires while its subscriber is offline is not delivered on reconnect
    Given client "sub" connected with session expiry 60
    And "sub" subscribed to "me/off" with qos 1
    And "sub" disconnects
    And client "pub" connected
    When "pub" sends PUBLISH topic "me/off" qos 1 packet id 1 payload "short" message expiry interval 1
    Then "pub" receives PUBACK packet id 1 within 2 s
    When 2.2 s pass
    And "sub" connects with clean start false and session expiry 60
    # precondition
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    And "sub" receives no message on "me/off" for 500 ms

  @MQTT-3.3.2-5 @MQTT-3.3.2-6 @timing
  Scenario: of two queued messages only the one that has not expired is delivered
    Given client "sub" connected with session expiry 60
    And "sub" subscribed to "me/mix" with qos 1
    And "sub" disconnects
    And client "pub" connected
    When "pub" sends PUBLISH topic "me/mix" qos 1 packet id 1 payload "gone" message expiry interval 1
    And "pub" sends PUBLISH topic "me/mix" qos 1 packet id 2 payload "kept" message expiry interval 60
    Then "pub" receives PUBACK packet id 2 within 2 s
    When 2.2 s pass
    And "sub" connects with clean start false and session expiry 60
    # checks MQTT-3.3.2-6
    Then "sub" receives a PUBLISH on "me/mix" with payload "kept" and a message expiry interval between 1 and 58 within 2 s
    # checks MQTT-3.3.2-5
    And "sub" receives no message on "me/mix" for 500 ms

  @MQTT-3.3.2-6
  Scenario: a queued message is forwarded with the interval reduced by the time it waited
    Given client "sub" connected with session expiry 60
    And "sub" subscribed to "me/wait" with qos 1
    And "sub" disconnects
    And client "pub" connected
    When "pub" sends PUBLISH topic "me/wait" qos 1 packet id 1 payload "waited" message expiry interval 30
    Then "pub" receives PUBACK packet id 1 within 2 s
    When 1.3 s pass
    And "sub" connects with clean start false and session expiry 60
    Then "sub" receives a PUBLISH on "me/wait" with payload "waited" and a message expiry interval between 1 and 29 within 2 s

  Scenario Outline: a message forwarded at once keeps a Message Expiry Interval no larger than the one sent
    Given client "sub" connected
    And "sub" subscribed to "me/live" with qos <qos>
    And client "pub" connected
    When "pub" sends PUBLISH topic "me/live" qos <qos> packet id 4 payload "live" message expiry interval 120
    And "pub" sends <release>
    Then "sub" receives a PUBLISH on "me/live" with payload "live" and a message expiry interval between 1 and 120 within 2 s

    @MQTT-3.3.2-6
    Examples:
      | qos | release |
      | 1   | PINGREQ |

    # The QoS 2 message is released at once: a broker may hold it back until PUBREL.
    @MQTT-3.3.2-6 @requires:qos2
    Examples:
      | qos | release            |
      | 2   | PUBREL packet id 4 |

  @MQTT-3.3.2-5 @requires:retain @timing
  Scenario: an expired retained message is not sent to a new subscriber
    Given client "pub" connected
    When "pub" sends PUBLISH topic "me/ret-gone" qos 1 packet id 1 payload "stale" retain true message expiry interval 1
    Then "pub" receives PUBACK packet id 1 within 2 s
    When 2.2 s pass
    And client "sub" connected
    And "sub" subscribed to "me/ret-gone" with qos 1
    Then "sub" receives no message on "me/ret-gone" for 500 ms

  @MQTT-3.3.2-6 @requires:retain
  Scenario: a retained message is sent to a new subscriber with its remaining expiry interval
    Given client "pub" connected
    When "pub" sends PUBLISH topic "me/ret-left" qos 1 packet id 1 payload "fresh" retain true message expiry interval 30
    Then "pub" receives PUBACK packet id 1 within 2 s
    When 1.3 s pass
    And client "sub" connected
    And "sub" subscribed to "me/ret-left" with qos 1
    Then "sub" receives a PUBLISH on "me/ret-left" with payload "fresh" and a message expiry interval between 1 and 29 within 2 s

  @MQTT-3.3.2-5 @MQTT-3.3.4-9 @timing
  Scenario: a message that expires while held back by the client's Receive Maximum is not delivered
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "me/held" with qos 1
    And client "pub" connected
    When "pub" sends PUBLISH topic "me/held" qos 1 packet id 1 payload "first"
    And "pub" sends PUBLISH topic "me/held" qos 1 packet id 2 payload "expiring" message expiry interval 1
    And "pub" sends PUBLISH topic "me/held" qos 1 packet id 3 payload "last"
    Then "sub" receives PUBLISH topic "me/held" qos 1 payload "first" within 2 s
    # checks MQTT-3.3.4-9
    And "sub" receives nothing like PUBLISH for 2.2 s
    When "sub" answers the PUBLISH "first" with PUBACK
    # The message after the expired one must still come, or there is nothing to compare with.
    # precondition
    Then "sub" receives PUBLISH topic "me/held" qos 1 payload "last" within 2 s
    # checks MQTT-3.3.2-5
    And "sub" receives no message on "me/held" for 300 ms

  @MQTT-4.3.3-7 @MQTT-4.4.0-1 @requires:qos2 @timing
  Scenario: a QoS 2 PUBLISH already sent is resent after a reconnect even though its expiry has passed
    Given client "sub" connected with session expiry 60
    And "sub" subscribed to "me/q2" with qos 2
    And client "pub" connected
    When "pub" sends PUBLISH topic "me/q2" qos 2 packet id 1 payload "in-flight" message expiry interval 1
    And "pub" sends PUBREL packet id 1
    Then "sub" receives PUBLISH topic "me/q2" qos 2 payload "in-flight" within 2 s
    When "sub" drops the connection
    And 2.2 s pass
    And "sub" connects with clean start false and session expiry 60
    # precondition
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    And "sub" receives PUBLISH topic "me/q2" qos 2 dup true payload "in-flight" within 2 s

  @MQTT-4.3.3-13 @requires:qos2
  Scenario: the broker completes a QoS 2 exchange for a message whose expiry has passed
    Given client "pub" connected
    When "pub" sends PUBLISH topic "me/late" qos 2 packet id 9 payload "late" message expiry interval 1
    Then "pub" receives PUBREC packet id 9 within 2 s
    When 1.6 s pass
    And "pub" sends PUBREL packet id 9
    Then "pub" receives PUBCOMP packet id 9 reason code 0 within 2 s
