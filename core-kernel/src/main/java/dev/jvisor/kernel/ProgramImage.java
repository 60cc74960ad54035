package dev.jvisor.kernel;

/** A program to load into a fresh task: sets up its address space and initial registers. */
public interface ProgramImage {
    void loadInto(Task t);
}
