@qos2 @authorization
Feature: After a refusing PUBREC the packet identifier starts a new message
  An MQTT 5 receiver that answered a QoS 2 PUBLISH with a PUBREC reason code of 0x80 or above
  has finished with that packet identifier: a later PUBLISH with the same identifier is a new
  Application Message, not a duplicate of the refused one. The broker is the receiver here; to
  make it refuse, the second user publishes to a topic it may not use (features/authorization/
  README.md). Without a second identity, or when the broker does not refuse with a PUBREC
  (it may accept and drop, or close the connection), the scenario is not applicable.

  @v5 @MQTT-4.3.3-9 @requires:qos2
  Scenario: a QoS 2 PUBLISH reusing the packet id of a refused one is delivered as a new message
    Given the second user may only use topics under "open/"
    And client "owner" connected
    And "owner" subscribed to "open/t" with qos 2
    And client "B" connected as the second user
    When "B" sends PUBLISH topic "closed/t" qos 2 packet id 7 payload "refused"
    Then the broker refuses the PUBLISH of "B" with a PUBREC packet id 7 of reason code 0x80 or above within 2 s, else the scenario is not applicable
    # No PUBREL for the refused message: the identifier is free again at once.
    When "B" sends PUBLISH topic "open/t" qos 2 packet id 7 payload "new message"
    Then "B" receives one of these within 2 s:
      | PUBREC packet id 7 reason code 0    |
      | PUBREC packet id 7 reason code 0x10 |
    When "B" sends PUBREL packet id 7
    Then "B" receives PUBCOMP packet id 7 reason code 0 within 2 s
    And "owner" receives message "new message" on "open/t" with qos 2 within 2 s
