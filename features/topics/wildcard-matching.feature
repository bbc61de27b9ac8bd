@topics @wildcards
Feature: Topic filter matching
  `#` matches its parent level and any number of levels below it; `+` matches exactly one
  level, which may be empty; levels are separated by `/` and empty levels count. Matching is
  exact: case-sensitive, no Unicode normalisation and no substitution of unusual characters.
  A message reaches every matching subscription, and a subscriber only gets messages whose
  topic matches its filter.

  Scenario Outline: filter "<filter>" matches "<hit>" but not "<miss>"
    Given the broker supports wildcardSubscriptions
    And client "sub" connected
    And "sub" subscribed to "<filter>" with qos 1
    And client "pub" connected
    When "pub" publishes "no" to "<miss>" with qos 1
    And "pub" publishes "yes" to "<hit>" with qos 1
    Then "sub" receives message "yes" on "<hit>" within 2 s
    And "sub" receives no message for 200 ms

    @v3.1.1 @MQTT-4.5.0-1 @MQTT-3.3.2-3
    Examples: MQTT 3.1.1
      | filter           | hit                  | miss                     |
      | wm/p1/#          | wm/p1/score/today    | wm/p2/score              |
      | wm/p1/#          | wm/p1                | wm/p10                   |
      | wm/+             | wm/                  | wm                       |
      | +/+              | /finance             | finance                  |
      | +/tennis/#       | wm/tennis            | wm/golf/tennis           |
      | wm/Accounts      | wm/Accounts          | wm/ACCOUNTS              |

    @v5 @MQTT-4.5.0-1 @MQTT-3.3.2-3
    Examples: MQTT 5
      | filter           | hit                  | miss                     |
      | wm/p1/#          | wm/p1/score/today    | wm/p2/score              |
      | wm/p1/#          | wm/p1                | wm/p10                   |
      | wm/+             | wm/                  | wm                       |
      | +/+              | /finance             | finance                  |
      | +/tennis/#       | wm/tennis            | wm/golf/tennis           |
      | wm/Accounts      | wm/Accounts          | wm/ACCOUNTS              |

  Scenario Outline: matching compares topics exactly, without Unicode normalisation (<why>)
    Given client "sub" connected
    When "sub" sends SUBSCRIBE packet id 41 topic filter "<filter>" qos 1
    And "sub" receives SUBACK packet id 41 reason codes [1] within 2 s
    Given client "pub" connected
    When "pub" sends PUBLISH topic "<miss>" qos 1 packet id 1 payload "no"
    And "pub" receives PUBACK packet id 1 within 2 s
    And "pub" sends PUBLISH topic "<filter>" qos 1 packet id 2 payload "yes"
    Then "sub" receives PUBLISH topic "<filter>" payload "yes" within 2 s
    And "sub" receives no message for 200 ms

    @v3.1.1 @MQTT-4.7.3-4
    Examples: MQTT 3.1.1
      | why                                  | filter         | miss           |
      | composed é, decomposed e + U+0301    | un/caf\u00e9   | un/cafe\u0301  |
      | a U+FEFF inside the name is kept     | un/a\ufeffb    | un/ab          |

    @v5 @MQTT-4.7.3-4
    Examples: MQTT 5
      | why                                  | filter         | miss           |
      | composed é, decomposed e + U+0301    | un/caf\u00e9   | un/cafe\u0301  |
      | a U+FEFF inside the name is kept     | un/a\ufeffb    | un/ab          |

  Scenario Outline: every client with a matching subscription gets its own copy
    Given the broker supports wildcardSubscriptions
    And client "s1" connected
    And "s1" subscribed to "mc/+/t"
    And client "s2" connected
    And "s2" subscribed to "mc/#"
    And client "s3" connected
    And "s3" subscribed to "mc/a/t"
    And client "pub" connected
    When "pub" publishes "all" to "mc/a/t" with qos 1
    Then "s1" receives message "all" on "mc/a/t" within 2 s
    And "s2" receives message "all" on "mc/a/t" within 2 s
    And "s3" receives message "all" on "mc/a/t" within 2 s

    @v3.1.1 @MQTT-4.5.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.5.0-1
    Examples: MQTT 5
      | version |
      | 5       |
