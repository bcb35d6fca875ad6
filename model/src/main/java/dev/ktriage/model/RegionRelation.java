package dev.ktriage.model;

/** Where the buggy address is relative to a region: {@code located N bytes to the right of ...}. */
public enum RegionRelation { LEFT, RIGHT, INSIDE }
