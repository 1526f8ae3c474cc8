package io.github.panamamlp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** The {@code panama-mlp} command line: train, evaluate, predict, summary, bench. */
@Command(name = "panama-mlp", mixinStandardHelpOptions = true, version = "panama-mlp 0.1.0",
        description = "Trains and runs neural networks on the CPU with OpenBLAS through Java's FFM API.")
public final class Main implements Runnable {
    /**
     * The subcommands, in help order. They are added to the command line when it is made rather than named
     * in the annotation, so that a run of one command makes picocli read only that command's annotations:
     * reading all of them took about 100 ms of {@code predict}'s start (picocli's classes are too old a class
     * file version for the JDK's AOT cache, so picocli runs interpreted, from the jar).
     */
    private static final List<String> COMMANDS = List.of("train", "evaluate", "predict", "summary", "bench", "help");

    /* A switch, not a map of constructor references: a lambda that names a picocli class breaks the making of
       the AOT cache on JDK 25.0.3 (a crash in ArchiveHeapWriter, as picocli's classes are not in the cache). */
    private static Object newCommand(String name) {
        return switch (name) {
            case "train" -> new TrainCommand();
            case "evaluate" -> new EvaluateCommand();
            case "predict" -> new PredictCommand();
            case "summary" -> new SummaryCommand();
            case "bench" -> new BenchCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Options every command accepts. */
    static final class Common {
        @Option(names = "--verbose", description = "Print stack traces with errors.")
        boolean verbose;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The top-level command; picocli fills in {@link #spec}. */
    public Main() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: train, evaluate, predict, summary or bench");
    }

    /**
     * Runs the command line.
     *
     * @param out  where commands print their results
     * @param err  where errors and usage messages go
     * @param args the arguments, e.g. {@code train --epochs 1}
     * @return the exit code: 0 ok, 1 failure, 2 bad usage
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        Integer fast = FastPath.run(out, err, args);
        return fast != null ? fast : executeWithPicocli(out, err, args);
    }

    /** {@link #execute} without the fast path of {@link FastPath}. */
    static int executeWithPicocli(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        boolean justOne = COMMANDS.contains(first) && !first.equals("help");
        for (String name : COMMANDS) {
            if (!justOne || name.equals(first)) {
                cl.addSubcommand(name, newCommand(name));
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failed(commandLine.getErr(), ex,
                parseResult.hasMatchedOption("--verbose")
                        || parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose")));
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("panama-mlp: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    /** Reports a command's failure: one line, the stack trace with --verbose; returns the exit code 1. */
    static int failed(PrintWriter err, Throwable ex, boolean verbose) {
        err.println("panama-mlp: " + oneLine(ex));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The message of an error, on one line, without the exception's class name when it has a message. */
    static String oneLine(Throwable ex) {
        String msg = ex.getMessage();
        // The JDK's file exceptions carry only the path as their message: say what is wrong with it.
        if (ex instanceof java.nio.file.NoSuchFileException) {
            return msg + ": no such file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException) {
            return msg + ": permission denied";
        }
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg.replace('\n', ' ').replaceAll("\\s+", " ").trim();
    }

    /**
     * Runs the command line on standard output and error, and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
