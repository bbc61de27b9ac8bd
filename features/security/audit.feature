@audit @v5
Feature: Security audit (apart from compliance)
  `mqtt-harness audit` judges a broker's security posture from outside; a broker can be
  compliant and insecure. These scenarios run the audit against private brokers started by the
  steps (the reference broker with the hardened example config, and Debian mosquitto with
  allow_anonymous true), so they check the audit itself and say nothing about the target.

  Scenario: the hardened example config gives no finding above low
    Given a private reference broker with the hardened example config
    When the security audit runs as "alice" with password "secret" and topic prefix "sensors/audit"
    Then the audit finds nothing above low
    And the audit check "anonymous-access" is passed
    And the audit check "hash-readable" is passed
    And the audit report does not contain the password

  Scenario: mosquitto with allow_anonymous true: anonymous access and "#" readable
    Given a private mosquitto with allow_anonymous true
    When the security audit runs anonymously
    Then the audit finds "anonymous-access" with severity high
    And the audit finds "hash-readable" with severity high
