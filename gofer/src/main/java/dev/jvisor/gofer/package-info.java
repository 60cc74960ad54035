/**
 * The gofer: the only process of a sandbox that opens host files, serving the root file system and
 * bind mounts to the Sentry over a socket protocol (DESIGN.md §7). Filled in by the files milestone.
 */
package dev.jvisor.gofer;
