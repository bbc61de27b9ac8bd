@v5 @properties
Feature: Request Response Information and Request Problem Information
  Response Information in CONNACK is only sent when the client asked for it. A client that sets
  Request Problem Information to 0 gets no Reason String or User Properties on any packet other
  than PUBLISH, CONNACK and DISCONNECT, even when the server refuses something.

  Scenario Outline: without a request for it, CONNACK carries no Response Information
    Given client "A" opened a network connection
    When "A" connects with <fields>
    Then "A" receives CONNACK reason code 0 within 2 s
    And the last CONNACK "A" received has no response information

    @MQTT-3.1.2-28
    Examples:
      | fields                             |
      | keep alive 30                      |
      | request response information 0     |

  @MQTT-3.1.2-29
  Scenario: a refused QoS 1 PUBLISH gets a PUBACK without reason string or user properties
    Given client "A" connected with request problem information 0
    When "A" sends PUBLISH topic "rp/ack" qos 1 packet id 1 payload hex "ff fe fd" payload format indicator 1
    # precondition
    Then the broker answers "A" with PUBACK packet id 1 within 2 s, or closes the connection and the scenario is not applicable
    And the last PUBACK "A" received has no reason string and no user properties

  @MQTT-3.1.2-29 @requires:qos2
  Scenario: a refused QoS 2 PUBLISH gets a PUBREC without reason string or user properties
    Given client "A" connected with request problem information 0
    When "A" sends PUBLISH topic "rp/rec" qos 2 packet id 2 payload hex "ff fe fd" payload format indicator 1
    # precondition
    Then the broker answers "A" with PUBREC packet id 2 within 2 s, or closes the connection and the scenario is not applicable
    And the last PUBREC "A" received has no reason string and no user properties

  @MQTT-3.1.2-29
  Scenario: a PUBCOMP for an unknown packet identifier has no reason string or user properties
    Given client "A" connected with request problem information 0
    When "A" sends PUBREL packet id 61
    Then "A" receives PUBCOMP packet id 61 within 2 s
    And the last PUBCOMP "A" received has no reason string and no user properties

  @MQTT-3.1.2-29
  Scenario: an UNSUBACK for a filter that was never subscribed has no reason string or user properties
    Given client "A" connected with request problem information 0
    When "A" sends UNSUBSCRIBE packet id 62 topic filter "rp/never"
    Then "A" receives UNSUBACK packet id 62 within 2 s
    And the last UNSUBACK "A" received has no reason string and no user properties

  @MQTT-3.1.2-29
  Scenario: a refused subscription gets no reason string or user properties
    Given client "A" connected with request problem information 0
    When "A" sends SUBSCRIBE packet id 63 topic filter "rp/#/bad" qos 1
    Then "A" is refused the subscription with packet id 63 within 2 s
    And no SUBACK "A" received had a reason string or user properties

  @MQTT-3.1.2-29 @requires:qos2
  Scenario: the PUBREL of a QoS 2 delivery has no reason string or user properties
    Given client "sub" connected with request problem information 0
    And "sub" subscribed to "rp/rel" with qos 2
    And client "pub" connected
    When "pub" publishes "r" to "rp/rel" with qos 2
    Then "sub" receives PUBLISH topic "rp/rel" qos 2 payload "r" within 2 s
    When "sub" answers the PUBLISH "r" with PUBREC
    Then "sub" receives PUBREL within 2 s
    And the last PUBREL "sub" received has no reason string and no user properties
