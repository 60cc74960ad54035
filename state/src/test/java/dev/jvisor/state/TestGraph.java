package dev.jvisor.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Classes standing in for kernel state in tests. */
final class TestGraph {
    private TestGraph() {}

    enum State { RUNNING, STOPPED }

    /** No no-arg constructor, on purpose: Kryo must create it without one. */
    static final class Task {
        final int tid;
        State state = State.RUNNING;
        Task parent;
        final List<Task> children = new ArrayList<>();
        Files files;
        long[] pageMap;
        transient Object hostThread = new Object();

        Task(int tid) {
            this.tid = tid;
        }
    }

    /** Shared between tasks, like a file table after clone(CLONE_FILES). */
    static final class Files {
        final Map<Integer, String> fds = new HashMap<>();
    }

    record Timer(long deadline, String name) {}

    static final class Node {
        final int value;
        Node next;

        Node(int value) {
            this.value = value;
        }
    }

    /** Not registered anywhere. */
    static final class Stranger {
        int x;
    }

    static final class Holder {
        Object value;

        Holder(Object value) {
            this.value = value;
        }
    }

    static final ClassRegistry REGISTRY = r -> {
        r.add(Task.class, 100);
        r.add(State.class, 101);
        r.add(Files.class, 102);
        r.add(Timer.class, 103);
        r.add(Node.class, 104);
        r.add(Holder.class, 105);
    };

    static Node linkedList(int length) {
        Node head = new Node(0);
        Node tail = head;
        for (int i = 1; i < length; i++) {
            tail.next = new Node(i);
            tail = tail.next;
        }
        return head;
    }
}
