@resilience
Feature: QoS 0 is delivered at most once
  A QoS 0 message arrives once or not at all: jitter and lost packets may lose it, but
  nothing may duplicate it.

  @MQTT-4.3.1-1
  Scenario Outline: QoS 0 messages are never duplicated over a jittery, lossy link
    Given a resilience run with seed 31337
    And the link between device "dashboard" and the broker has 20 ms latency with 15 ms jitter
    And device "dashboard" subscribes to "fleet/+/rssi" at QoS 0
    When the proxy drops 20% of the PUBLISH packets from device "sensor-1"
    And device "sensor-1" publishes 80 QoS 0 messages to "fleet/sensor-1/rssi"
    Then no QoS 0 message is delivered twice

    @v3.1.1
    Examples:
      | version |
      | 3.1.1   |

    @v5
    Examples:
      | version |
      | 5       |
