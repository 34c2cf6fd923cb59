package io.linkflow.variable;

import java.time.Instant;
import java.util.UUID;

/**
 * A variable as the API shows it: a secret's value is never returned ({@code value} null, {@code
 * masked} true).
 *
 * @param id its id
 * @param key its key, unique in the workspace
 * @param value the value of a plain variable; null for a secret
 * @param secret whether the value is secret (encrypted at rest, never returned)
 * @param masked true when {@code value} is withheld
 * @param description what it is for
 * @param createdBy who created it (token subject)
 * @param createdAt when
 * @param updatedAt when last changed
 */
public record Variable(
    UUID id,
    String key,
    String value,
    boolean secret,
    boolean masked,
    String description,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {}
