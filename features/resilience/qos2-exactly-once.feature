@resilience
Feature: QoS 2 is delivered exactly once over flaky links
  Lost PUBRECs make the publisher resend its PUBLISH with DUP set; a broker must answer with
  PUBREC again without forwarding a second copy. The subscriber's own PUBRECs are lost too and
  its link goes down, so the broker resends those PUBLISHes (DUP) after the session resumes;
  the subscriber treats them as repeats of a packet id awaiting PUBREL, not as new messages.

  @MQTT-4.5.0-1 @MQTT-4.4.0-1
  Scenario Outline: QoS 2 survives lost PUBRECs and subscriber outages without duplicates
    Given a resilience run with seed 9001
    And device "dashboard" subscribes to "fleet/+/alarm" at QoS 2 with a persistent session
    When the proxy drops every PUBREC to device "sensor-1" for 2 seconds
    And the proxy drops every PUBREC from device "dashboard" for 1 seconds
    And the link of device "dashboard" goes down for 300 ms every 1500 ms, 1 times
    And device "sensor-1" publishes 40 QoS 2 messages to "fleet/sensor-1/alarm"
    Then every QoS 2 message is delivered exactly once

    @v3.1.1 @MQTT-4.3.3-1 @MQTT-4.3.3-2
    Examples:
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.3-8 @MQTT-4.3.3-10
    Examples:
      | version |
      | 5       |
