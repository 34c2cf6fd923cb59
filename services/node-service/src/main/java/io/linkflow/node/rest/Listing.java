package io.linkflow.node.rest;

import java.util.List;

/** A complete, short list (the same {@code items} shape as a page, without a cursor). */
public record Listing<T>(List<T> items) {}
