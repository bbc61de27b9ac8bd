@topics @wildcards
Feature: Topics beginning with $ are not matched by first-level wildcards
  A filter that starts with `#` or `+` never matches a topic name that starts with `$`;
  a filter that spells the `$` level out does. These scenarios use unprefixed topics, so
  the wildcard subscriber sees all traffic of the broker; it must still not get the $ topic.

  Scenario Outline: "<filter>" does not match the $ topic "<topic>", while "<control>" does
    Given the broker supports wildcardSubscriptions
    And topics are not prefixed
    And client "wild" connected
    And "wild" subscribed to "<filter>" with qos 1
    And client "ctl" connected
    And "ctl" subscribed to "<control>" with qos 1
    And client "pub" connected
    # QoS 0 and no acknowledgement: a broker that keeps clients off $ topics makes the
    # scenario not applicable instead of failing it.
    When "pub" sends PUBLISH topic "<topic>" qos 0 payload "dollar"
    Then "ctl" receives message "dollar" on "<topic>" with qos 0 within 2 s, else the scenario is not applicable
    And "wild" receives no message on "<topic>" for 200 ms

    @v3.1.1 @MQTT-4.7.2-1
    Examples: MQTT 3.1.1
      | filter   | control        | topic          |
      | #        | $mh4d/#        | $mh4d/a        |
      | +/a      | $mh4e/+        | $mh4e/a        |

    @v5 @MQTT-4.7.2-1
    Examples: MQTT 5
      | filter   | control        | topic          |
      | #        | $mh5d/#        | $mh5d/a        |
      | +/a      | $mh5e/+        | $mh5e/a        |
