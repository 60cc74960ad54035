/**
 * Snapshot stores (DESIGN.md §9): a local directory and S3, chunked and content-addressed. Filled in
 * with the container checkpoint/restore milestone.
 */
package dev.jvisor.store;
