package io.linkflow.nodes;

/**
 * One way a value fails a schema.
 *
 * @param pointer a JSON Pointer (RFC 6901) into the value, e.g. {@code /url} or {@code
 *     /headers/0/name}; empty for the value itself
 * @param message what is wrong, for a person
 */
public record Violation(String pointer, String message) {}
