package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runsc-compatible container lifecycle end to end: bundles with static samples in their rootfs,
 * driven through the {@code ./jvisor} launcher with a private {@code --root}, compared with native runs.
 */
class ContainerLifecycleTest {
    @TempDir
    Path tmp;

    private ContainerCli cli;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(tmp.resolve("work"));
        cli = new ContainerCli(tmp.resolve("root"), tmp.resolve("work"));
    }

    @AfterEach
    void tearDown() {
        cli.killAll();
    }

    private Bundle bundle(String name, String... args) {
        return Bundle.create(tmp.resolve(name), args).write();
    }

    @Test
    void runInTheForegroundPassesStdoutAndTheExitCode() {
        Bundle hello = bundle("hello", "/bin/hello");
        ContainerCli.Result r = cli.run("run", "--bundle", hello.dir.toString(), "h1");
        assertEquals(0, r.code(), r::toString);
        assertEquals(nativeRun("hello"), r.out(), r::toString);
        assertEquals("", r.err(), r::toString);
        // A foreground run deletes its container once it has exited, as runc and runsc do.
        assertOneLine(cli.run("state", "h1"), "container h1 does not exist");

        Bundle exit = bundle("exit", "exitcode", "7");
        ContainerCli.Result e = cli.run("run", "--bundle", exit.dir.toString(), "e1");
        assertEquals(7, e.code(), e::toString);
    }

    @Test
    void detachedContainerReportsStateAndProcessesAndDiesOfSigterm() throws Exception {
        Bundle b = bundle("count", "/bin/count", "100000", "100");
        Path out = tmp.resolve("count.out");
        Path pidFile = tmp.resolve("sandbox.pid");
        ContainerCli.Result run = cli.run(out, tmp.resolve("count.err"), "run", "--detach", "--bundle", b.dir.toString(),
                "--pid-file", pidFile.toString(), "c1");
        assertEquals(0, run.code(), run::toString);
        ContainerCli.awaitLines(out, 2, 60_000);

        JsonNode state = state("c1");
        assertEquals("running", state.path("status").asText());
        assertEquals("c1", state.path("id").asText());
        assertEquals(b.dir.toString(), state.path("bundle").asText());
        assertTrue(state.path("ociVersion").asText().startsWith("1."), state::toString);
        assertTrue(state.path("annotations").isObject(), state::toString);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertEquals(pid, state.path("pid").asLong());
        assertTrue(alive(pid));

        ContainerCli.Result ps = cli.run("ps", "c1");
        assertEquals(0, ps.code(), ps::toString);
        List<String> lines = ps.out().lines().toList();
        assertEquals(List.of("UID", "PID", "CMD"), List.of(lines.get(0).trim().split("\\s+")), ps::toString);
        assertEquals(2, lines.size(), ps::toString);
        assertEquals(List.of("0", "1", "/bin/count", "100000", "100"), List.of(lines.get(1).trim().split("\\s+")));
        ContainerCli.Result psJson = cli.run("ps", "--format", "json", "c1");
        assertEquals("[1]", psJson.out().trim(), psJson::toString);

        ContainerCli.Result kill = cli.run("kill", "c1");
        assertEquals(0, kill.code(), kill::toString);
        ContainerCli.Result wait = cli.run("wait", "c1");
        assertEquals(143, wait.code(), wait::toString);
        assertEquals(143, Bundle.JSON.readTree(wait.out()).path("exitStatus").asInt(), wait::toString);

        JsonNode stopped = state("c1");
        assertEquals("stopped", stopped.path("status").asText());
        assertEquals(0, stopped.path("pid").asLong());
        // Whatever it printed before SIGTERM is what a native run prints first.
        String printed = Files.readString(out);
        assertTrue(nativeRun("count", "100000", "0").startsWith(printed.substring(0, printed.lastIndexOf('\n') + 1)));

        assertEquals(0, cli.run("delete", "c1").code());
        assertOneLine(cli.run("state", "c1"), "does not exist");
    }

    /** A container with a family of processes: ps lists them all; kill --pid and --all reach them. */
    @Test
    void killReachesOneProcessOrAll() throws Exception {
        Bundle b = bundle("familyckpt", "/bin/familyckpt", "100000", "50");
        Path out = tmp.resolve("fam.out");
        ContainerCli.Result run = cli.run(out, tmp.resolve("fam.err"), "run", "--detach", "--bundle", b.dir.toString(), "f1");
        assertEquals(0, run.code(), run::toString);
        ContainerCli.awaitLines(out, 2, 60_000);
        ContainerCli.Result ps = cli.run("ps", "--format", "json", "f1");
        assertEquals("[1,2,3]", ps.out().trim(), ps::toString);
        assertOneLine(cli.run("kill", "--pid", "99", "f1", "TERM"), "container f1 has no process 99");
        assertOneLine(cli.run("kill", "--all", "--pid", "2", "f1"), "--all and --pid cannot be combined");
        assertEquals(0, cli.run("kill", "--pid", "2", "f1", "STOP").code());
        assertEquals(0, cli.run("kill", "--pid", "2", "f1", "CONT").code());
        ContainerCli.Result kill = cli.run("kill", "--all", "f1", "TERM");
        assertEquals(0, kill.code(), kill::toString);
        ContainerCli.Result wait = cli.run("wait", "f1");
        assertEquals(143, wait.code(), wait::toString);
        assertEquals(0, cli.run("delete", "f1").code());
    }

    @Test
    void createWaitsForStartThenRunsToStopped() throws Exception {
        Bundle b = bundle("count", "count", "5", "10");
        Path out = tmp.resolve("c.out");
        ContainerCli.Result create = cli.run(out, tmp.resolve("c.err"), "create", "--bundle", b.dir.toString(), "c2");
        assertEquals(0, create.code(), create::toString);
        assertEquals("created", state("c2").path("status").asText());
        Thread.sleep(300);
        assertEquals("", Files.readString(out), "nothing runs before start");

        ContainerCli.Result start = cli.run("start", "c2");
        assertEquals(0, start.code(), start::toString);
        ContainerCli.Result wait = cli.run("wait", "c2");
        assertEquals(0, wait.code(), wait::toString);
        assertEquals("{\"id\":\"c2\",\"exitStatus\":0}", wait.out().trim());
        assertEquals("stopped", state("c2").path("status").asText());
        assertEquals(nativeRun("count", "5", "10"), Files.readString(out));

        assertOneLine(cli.run("start", "c2"), "cannot start container c2: it is stopped");
        assertEquals(0, cli.run("delete", "c2").code());
    }

    @Test
    void killEndsACreatedContainerWithTheSignal() {
        Bundle b = bundle("hello", "/bin/hello");
        assertEquals(0, cli.run("create", "--bundle", b.dir.toString(), "k1").code());
        ContainerCli.Result kill = cli.run("kill", "k1", "KILL");
        assertEquals(0, kill.code(), kill::toString);
        assertEquals(137, cli.run("wait", "k1").code());
        assertEquals("stopped", state("k1").path("status").asText());
        assertOneLine(cli.run("kill", "k1", "9"), "container k1 is not running");
        assertEquals(0, cli.run("delete", "k1").code());
    }

    @Test
    void deleteRefusesARunningContainerUnlessForced() throws Exception {
        Bundle b = bundle("count", "/bin/count", "100000", "100");
        Path out = tmp.resolve("d.out");
        assertEquals(0, cli.run(out, tmp.resolve("d.err"), "run", "-d", "--bundle", b.dir.toString(), "d1").code());
        long pid = state("d1").path("pid").asLong();

        assertOneLine(cli.run("delete", "d1"), "cannot delete container d1: it is running");
        assertEquals("running", state("d1").path("status").asText());

        ContainerCli.Result force = cli.run("delete", "--force", "d1");
        assertEquals(0, force.code(), force::toString);
        assertFalse(alive(pid), "the sandbox process is gone");
        assertFalse(Files.exists(cli.root().resolve("d1")));
        assertOneLine(cli.run("state", "d1"), "container d1 does not exist");
    }

    @Test
    void aDeadSandboxIsStoppedAndCanBeDeleted() throws Exception {
        Bundle b = bundle("count", "/bin/count", "100000", "100");
        assertEquals(0, cli.run(tmp.resolve("x.out"), tmp.resolve("x.err"), "run", "-d", "--bundle", b.dir.toString(), "x1").code());
        long pid = state("x1").path("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        for (int i = 0; i < 200 && alive(pid); i++) {
            Thread.sleep(50);
        }
        assertEquals("stopped", state("x1").path("status").asText());
        assertTrue(cli.run("list").out().contains("stopped"));
        assertOneLine(cli.run("wait", "x1"), "died without recording an exit status");
        ContainerCli.Result del = cli.run("delete", "x1");
        assertEquals(0, del.code(), del::toString);
        assertFalse(Files.exists(cli.root().resolve("x1")));
    }

    @Test
    void listShowsEveryContainerWithRootGivenAfterTheSubcommand() throws Exception {
        Bundle b = bundle("hello", "/bin/hello");
        assertEquals(0, cli.run("create", "--bundle", b.dir.toString(), "l-a").code());
        assertEquals(0, cli.run("create", "--bundle", b.dir.toString(), "l-b").code());

        ContainerCli.Result list = runWithRootLast("list");
        assertEquals(0, list.code(), list::toString);
        List<String> lines = list.out().lines().toList();
        assertEquals(List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"), List.of(lines.get(0).trim().split("\\s+")));
        assertEquals(3, lines.size(), list::toString);
        for (int i = 1; i <= 2; i++) {
            String[] row = lines.get(i).trim().split("\\s+");
            assertEquals(i == 1 ? "l-a" : "l-b", row[0]);
            assertEquals(state(row[0]).path("pid").asText(), row[1]);
            assertEquals("created", row[2]);
            assertEquals(b.dir.toString(), row[3]);
            assertEquals(System.getProperty("user.name"), row[5]);
        }
        // Columns line up as runc's tabwriter lays them out.
        assertEquals(lines.get(0).indexOf("STATUS"), lines.get(1).indexOf("created"));

        assertEquals("l-a\nl-b\n", cli.run("list", "-q").out());
        JsonNode json = Bundle.JSON.readTree(cli.run("list", "--format", "json").out());
        assertEquals(2, json.size());
        assertEquals("created", json.get(0).path("status").asText());

        assertEquals(0, cli.run("delete", "l-a").code(), "a created container needs no --force");
        assertEquals(0, cli.run("delete", "l-b").code());
        assertEquals("", cli.run("list", "-q").out());
    }

    @Test
    void specWritesAConfigThatRunAccepts() throws Exception {
        Path dir = tmp.resolve("spec");
        Bundle.create(dir); // rootfs only: config.json comes from `jvisor spec`
        ContainerCli.Result spec = cli.run("spec", "--bundle", dir.toString(), "--", "/bin/hello");
        assertEquals(0, spec.code(), spec::toString);
        JsonNode config = Bundle.JSON.readTree(dir.resolve("config.json").toFile());
        assertEquals("/bin/hello", config.path("process").path("args").get(0).asText());
        assertEquals("rootfs", config.path("root").path("path").asText());
        assertFalse(config.path("process").path("terminal").asBoolean(true));

        ContainerCli.Result run = cli.run("run", "--bundle", dir.toString(), "s1");
        assertEquals(0, run.code(), run::toString);
        assertEquals(nativeRun("hello"), run.out());

        assertOneLine(cli.run("spec", "--bundle", dir.toString()), "already exists");
    }

    @Test
    void configUserEnvArgsAndPathLookupReachTheProgram() {
        Bundle b = Bundle.create(tmp.resolve("args"), "args", "first arg");
        ObjectNode p = (ObjectNode) b.config.path("process");
        ((ObjectNode) p.path("user")).put("uid", 1000).put("gid", 1001);
        p.putArray("env").add("PATH=/nowhere:/bin").add("JVT_A=one");
        p.put("cwd", "/tmp");
        b.write();
        ContainerCli.Result r = cli.run("run", "--bundle", b.dir.toString(), "a1");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("argv[0] \"args\""), r::toString);
        assertTrue(lines.contains("argv[1] \"first arg\""), r::toString);
        assertTrue(lines.contains("env JVT_A=one"), r::toString);
        assertTrue(lines.contains("AT_UID 1000"), r::toString);
        assertTrue(lines.contains("AT_GID 1001"), r::toString);
    }

    @Test
    void checkpointThroughTheControlSocketThenRestoreIntoANewContainer() throws Exception {
        Bundle b = bundle("count", "/bin/count", "60", "100");
        Path first = tmp.resolve("first.out");
        assertEquals(0, cli.run(first, tmp.resolve("first.err"), "run", "-d", "--bundle", b.dir.toString(), "src").code());
        ContainerCli.awaitLines(first, 3, 60_000);

        Path image = tmp.resolve("image");
        ContainerCli.Result cp = cli.run("checkpoint", "--image-path", image.toString(), "src");
        assertEquals(0, cp.code(), cp::toString);
        assertEquals(0, cli.run("wait", "src").code(), "a checkpointed container stops cleanly");
        assertEquals("stopped", state("src").path("status").asText());
        int before = Files.readAllLines(first).size();
        assertTrue(before < 60, "the checkpoint came before the end");

        Path second = tmp.resolve("second.out");
        ContainerCli.Result restore = cli.run(second, tmp.resolve("second.err"), "restore", "--image-path", image.toString(),
                "--bundle", b.dir.toString(), "dst");
        assertEquals(0, restore.code(), restore::toString);
        assertEquals(before, Files.readAllLines(first).size(), "the checkpointed container printed nothing more");
        assertEquals(nativeRun("count", "60", "0"), Files.readString(first) + Files.readString(second));
        assertEquals(0, cli.run("delete", "src").code());
    }

    /**
     * exec starts a new process in a running container, as runc exec does: config.json's user and env
     * unless overridden, PATH looked up in the container, the caller's stdio (a file's offset shared
     * with the caller), its exit code; the process is the container's like any other (ps, kill --pid).
     */
    @Test
    void execRunsANewProcessInTheRunningContainer() throws Exception {
        Bundle b = Bundle.create(tmp.resolve("exec"), "/bin/count", "100000", "100");
        ObjectNode p = (ObjectNode) b.config.path("process");
        ((ObjectNode) p.path("user")).put("uid", 1000).put("gid", 1001);
        p.putArray("env").add("PATH=/nowhere:/bin").add("JVT_A=one").add("JVT_B=config");
        b.write();
        Path out = tmp.resolve("exec.out");
        assertEquals(0, cli.run(out, tmp.resolve("exec.err"), "run", "-d", "--bundle", b.dir.toString(), "x1").code());
        ContainerCli.awaitLines(out, 2, 60_000);

        ContainerCli.Result r = cli.run("exec", "-e", "JVT_B=two", "-e", "JVT_C=three", "x1", "args", "-c", "x y");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("argv[0] \"args\""), r::toString);
        assertTrue(lines.contains("argv[1] \"-c\""), r::toString);
        assertTrue(lines.contains("argv[2] \"x y\""), r::toString);
        assertTrue(lines.containsAll(List.of("env JVT_A=one", "env JVT_B=two", "env JVT_C=three")), r::toString);
        assertTrue(lines.containsAll(List.of("AT_UID 1000", "AT_GID 1001")), r::toString);
        ContainerCli.Result asUser = cli.run("exec", "--user", "1234:5678", "x1", "/bin/args");
        assertTrue(asUser.out().lines().toList().containsAll(List.of("AT_UID 1234", "AT_GID 5678")), asUser::toString);

        assertEquals(nativeRun("hello"), cli.run("exec", "x1", "hello").out());
        assertEquals(7, cli.run("exec", "x1", "exitcode", "7").code());
        ContainerCli.Result missing = cli.run("exec", "x1", "nosuch");
        assertEquals(127, missing.code(), missing::toString);
        assertOneLine(missing, "nosuch: not found");

        // stdin comes from the caller, stdout goes to the caller's file.
        StringBuilder input = new StringBuilder();
        for (int i = 0; input.length() < 100_000; i++) {
            input.append("line ").append(i).append('\n');
        }
        Path in = tmp.resolve("exec.in");
        Files.writeString(in, input);
        ContainerCli.Result echo = cli.runWithStdin(in, "exec", "x1", "echo_stdin");
        assertEquals(0, echo.code(), echo::toString);
        assertEquals(input.toString(), echo.out(), "stdin reached the process and its stdout the caller's file");
        assertEquals("echo_stdin: " + input.length() + " bytes", echo.err().trim());

        // A detached exec is a process of the container: ps lists it, kill --pid reaches it.
        assertEquals(0, cli.run("exec", "--detach", "x1", "count", "100000", "100").code());
        ContainerCli.Result ps = cli.run("ps", "--format", "json", "x1");
        JsonNode pids = Bundle.JSON.readTree(ps.out());
        assertEquals(2, pids.size(), ps::toString);
        assertEquals(0, cli.run("kill", "--pid", pids.get(1).asText(), "x1", "KILL").code());
        for (int i = 0; i < 100 && Bundle.JSON.readTree(cli.run("ps", "--format", "json", "x1").out()).size() > 1; i++) {
            Thread.sleep(50);
        }
        assertEquals("[1]", cli.run("ps", "--format", "json", "x1").out().trim());

        assertEquals(0, cli.run("pause", "x1").code());
        assertOneLine(cli.run("exec", "x1", "hello"), "cannot exec in container x1: it is paused");
        assertEquals(0, cli.run("delete", "--force", "x1").code());
        assertOneLine(cli.run("exec", "x1", "hello"), "container x1 does not exist");
    }

    /**
     * pause freezes every process (nothing more is printed, clocks go on), a paused container can be
     * checkpointed and stays paused, resume lets it finish as a native run does, and the snapshot taken
     * while paused restores into a container that continues from the same point.
     */
    @Test
    void pauseFreezesTheContainerUntilResume() throws Exception {
        Bundle b = bundle("pause", "/bin/count", "30", "100");
        Path out = tmp.resolve("pause.out");
        assertEquals(0, cli.run(out, tmp.resolve("pause.err"), "run", "-d", "--bundle", b.dir.toString(), "p1").code());
        ContainerCli.awaitLines(out, 3, 60_000);
        assertOneLine(cli.run("resume", "p1"), "cannot resume container p1: it is running");

        ContainerCli.Result pause = cli.run("pause", "p1");
        assertEquals(0, pause.code(), pause::toString);
        int atPause = Files.readAllLines(out).size();
        assertEquals("paused", state("p1").path("status").asText());
        assertTrue(cli.run("list").out().contains("paused"));
        assertOneLine(cli.run("pause", "p1"), "cannot pause container p1: it is paused");
        assertOneLine(cli.run("start", "p1"), "cannot start container p1: it is paused");
        assertOneLine(cli.run("delete", "p1"), "cannot delete container p1: it is paused");
        ContainerCli.Result ps = cli.run("ps", "--format", "json", "p1");
        assertEquals("[1]", ps.out().trim(), ps::toString);

        Path image = tmp.resolve("paused-image");
        ContainerCli.Result cp = cli.run("checkpoint", "--leave-running", "--image-path", image.toString(), "p1");
        assertEquals(0, cp.code(), cp::toString);
        assertEquals("paused", state("p1").path("status").asText(), "a checkpoint leaves a paused container paused");
        Thread.sleep(500);
        assertEquals(atPause, Files.readAllLines(out).size(), "a paused container printed more");
        assertTrue(atPause < 30, "the pause came before the end");

        assertEquals(0, cli.run("resume", "p1").code());
        assertEquals("running", state("p1").path("status").asText());
        ContainerCli.Result wait = cli.run("wait", "p1");
        assertEquals(0, wait.code(), () -> wait + "\ncontainer stderr: " + readQuietly(tmp.resolve("pause.err"))
                + "\ncontainer stdout: " + readQuietly(out) + "\nstate: " + readQuietly(cli.root().resolve("p1/state.json")));
        String nativeOut = nativeRun("count", "30", "0");
        assertEquals(nativeOut, Files.readString(out));

        Path restored = tmp.resolve("pause-restored.out");
        ContainerCli.Result r = cli.run(restored, tmp.resolve("pause-restored.err"), "restore", "--image-path",
                image.toString(), "--bundle", b.dir.toString(), "p2");
        assertEquals(0, r.code(), r::toString);
        List<String> all = Files.readAllLines(out);
        assertEquals(nativeOut, String.join("\n", all.subList(0, atPause)) + "\n" + Files.readString(restored));
        assertEquals(0, cli.run("delete", "p1").code());
    }

    /** SIGKILL reaches a paused container at once (it thaws it, as runc does), so delete --force works. */
    @Test
    void aPausedContainerCanBeKilled() throws Exception {
        Bundle b = bundle("count", "/bin/count", "100000", "100");
        Path out = tmp.resolve("pk.out");
        assertEquals(0, cli.run(out, tmp.resolve("pk.err"), "run", "-d", "--bundle", b.dir.toString(), "pk").code());
        ContainerCli.awaitLines(out, 2, 60_000);
        assertEquals(0, cli.run("pause", "pk").code());
        // Any other signal waits for resume, as under the cgroup freezer.
        assertEquals(0, cli.run("kill", "pk", "TERM").code());
        Thread.sleep(300);
        assertEquals("paused", state("pk").path("status").asText());
        assertEquals(0, cli.run("resume", "pk").code());
        assertEquals(143, cli.run("wait", "pk").code());

        assertEquals(0, cli.run(tmp.resolve("pk2.out"), tmp.resolve("pk2.err"), "run", "-d", "--bundle", b.dir.toString(), "pk2").code());
        ContainerCli.awaitLines(tmp.resolve("pk2.out"), 2, 60_000);
        long pid = state("pk2").path("pid").asLong();
        assertEquals(0, cli.run("pause", "pk2").code());
        ContainerCli.Result force = cli.run("delete", "--force", "pk2");
        assertEquals(0, force.code(), force::toString);
        assertFalse(alive(pid), "the sandbox process is gone");
        assertEquals(0, cli.run("delete", "pk").code());
    }

    /** A restored container is a container like any other: it can be checkpointed and restored again. */
    @Test
    void aRestoredContainerCanBeCheckpointedAgain() throws Exception {
        Bundle b = bundle("again", "/bin/count", "60", "100");
        Path first = tmp.resolve("again1.out");
        assertEquals(0, cli.run(first, tmp.resolve("again1.err"), "run", "-d", "--bundle", b.dir.toString(), "g1").code());
        ContainerCli.awaitLines(first, 3, 60_000);
        Path image1 = tmp.resolve("again-image1");
        ContainerCli.Result cp1 = cli.run("checkpoint", "--image-path", image1.toString(), "g1");
        assertEquals(0, cp1.code(), cp1::toString);
        assertEquals(0, cli.run("wait", "g1").code());

        Path second = tmp.resolve("again2.out");
        ContainerCli.Result r2 = cli.run(second, tmp.resolve("again2.err"), "restore", "--detach", "--image-path",
                image1.toString(), "--bundle", b.dir.toString(), "g2");
        assertEquals(0, r2.code(), r2::toString);
        ContainerCli.awaitLines(second, 3, 60_000);
        Path image2 = tmp.resolve("again-image2");
        ContainerCli.Result cp2 = cli.run("checkpoint", "--image-path", image2.toString(), "g2");
        assertEquals(0, cp2.code(), cp2::toString);
        assertEquals(0, cli.run("wait", "g2").code());

        Path third = tmp.resolve("again3.out");
        ContainerCli.Result r3 = cli.run(third, tmp.resolve("again3.err"), "restore", "--image-path", image2.toString(),
                "--bundle", b.dir.toString(), "g3");
        assertEquals(0, r3.code(), r3::toString);
        assertEquals(nativeRun("count", "60", "0"), Files.readString(first) + Files.readString(second) + Files.readString(third));
        assertEquals(0, cli.run("delete", "g1").code());
        assertEquals(0, cli.run("delete", "g2").code());
    }

    /**
     * A second checkpoint while the first still streams pages is refused with one line; the first
     * completes, and the container (left running) keeps running.
     */
    @Test
    void aSecondCheckpointDuringTheFirstIsRefused() throws Exception {
        Bundle b = bundle("mem", "/bin/touchmem", "512", "6000");
        Path out = tmp.resolve("mem.out");
        assertEquals(0, cli.run(out, tmp.resolve("mem.err"), "run", "-d", "--bundle", b.dir.toString(), "mem").code());
        ContainerCli.awaitLines(out, 1, 120_000);

        Path first = tmp.resolve("first-image");
        Path inProgress = first.resolveSibling(first.getFileName() + ".jvisor-tmp");
        java.util.concurrent.CompletableFuture<ContainerCli.Result> cp1 = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli.run("checkpoint", "--leave-running", "--image-path", first.toString(), "mem"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(inProgress) && !cp1.isDone() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(Files.exists(inProgress), () -> "the first checkpoint never started writing: " + cp1.join());
        // Straight to the control socket: a second CLI's JVM start could take longer than the first stream.
        String second = controlRequest(cli.root().resolve("mem").resolve("control.sock"),
                "{\"op\":\"checkpoint\",\"imagePath\":\"" + tmp.resolve("second-image") + "\",\"leaveRunning\":true,\"compression\":\"zstd\"}");
        ContainerCli.Result r1 = cp1.get();
        assertEquals(0, r1.code(), r1::toString);
        assertTrue(second.contains("\"ok\":false") && second.contains("a checkpoint is already in progress"), second);
        assertTrue(Files.isRegularFile(first.resolve("manifest.json")), "the first checkpoint completed");
        assertEquals("running", state("mem").path("status").asText());
        assertEquals(0, cli.run("delete", "--force", "mem").code());
    }

    @Test
    void badInputsGiveOneClearLine() throws Exception {
        Bundle good = bundle("good", "/bin/hello");
        assertEquals(0, cli.run("create", "--bundle", good.dir.toString(), "dup").code());
        assertOneLine(cli.run("create", "--bundle", good.dir.toString(), "dup"), "container dup already exists");
        for (String cmd : List.of("state", "start", "kill", "wait", "delete", "ps")) {
            assertOneLine(cli.run(cmd, "ghost"), "container ghost does not exist");
        }
        assertOneLine(cli.run("run", "--bundle", tmp.resolve("missing").toString(), "m1"), "no such directory");
        assertOneLine(cli.run("create", "--bundle", good.dir.toString(), "a/b"), "invalid container ID");
        assertOneLine(cli.run("kill", "dup", "SIGNOPE"), "unknown signal");

        Bundle bad = Bundle.create(tmp.resolve("bad"), "/bin/hello");
        assertOneLine(cli.run("run", "--bundle", bad.dir.toString(), "b1"), "no config.json");
        Files.writeString(bad.dir.resolve("config.json"), "{\"process\": {\"args\": [\"/bin/hello\"]");
        assertOneLine(cli.run("run", "--bundle", bad.dir.toString(), "b1"), "config.json is not valid");
        ((ObjectNode) bad.config.path("process")).put("terminal", true);
        bad.write();
        assertOneLine(cli.run("run", "--bundle", bad.dir.toString(), "b1"), "process.terminal is true");
        ((ObjectNode) bad.config.path("process")).put("terminal", false).putArray("args");
        bad.write();
        assertOneLine(cli.run("run", "--bundle", bad.dir.toString(), "b1"), "process.args is empty");
        ((ObjectNode) bad.config.path("process")).putArray("args").add("/bin/hello");
        ((ObjectNode) bad.config.path("root")).put("path", "no-such-rootfs");
        bad.write();
        assertOneLine(cli.run("run", "--bundle", bad.dir.toString(), "b1"), "root.path");
        ((ObjectNode) bad.config.path("root")).put("path", "rootfs");
        ((ObjectNode) bad.config.path("process")).putArray("args").add("/bin/not-there");
        bad.write();
        ContainerCli.Result missing = cli.run("run", "--bundle", bad.dir.toString(), "b1");
        assertOneLine(missing, "/bin/not-there: no such file or directory");
        assertEquals(127, missing.code());
        assertOneLine(cli.run("restore", "--image-path", tmp.resolve("no-image").toString(), "--bundle",
                good.dir.toString(), "r1"), "cannot restore");

        assertEquals("dup\n", cli.run("list", "-q").out(), "failed commands leave no containers behind");
        assertEquals(0, cli.run("delete", "dup").code());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private JsonNode state(String id) {
        ContainerCli.Result r = cli.run("state", id);
        assertEquals(0, r.code(), r::toString);
        try {
            return Bundle.JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("state is not JSON: " + r, e);
        }
    }

    /** Global options are accepted after the subcommand too (ContainerCli.run puts --root first). */
    private ContainerCli.Result runWithRootLast(String cmd) {
        return cli.runBare(cmd, "--root", cli.root().toString());
    }

    /** One raw request on a sandbox's control socket; returns the reply line. */
    private static String controlRequest(Path socket, String json) throws IOException {
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            c.connect(java.net.UnixDomainSocketAddress.of(socket));
            c.write(java.nio.ByteBuffer.wrap((json + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(c),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void assertOneLine(ContainerCli.Result r, String expected) {
        assertNotEquals(0, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("jvisor: ") && line.contains(expected), r::toString);
    }

    /** Whether a pid runs (a zombie no longer does: nothing may reap the detached sandbox). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char s = stat.charAt(stat.lastIndexOf(')') + 2);
            return s != 'Z' && s != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static String nativeRun(String sample, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Bundle.home().resolve("samples/target/c").resolve(sample).toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
