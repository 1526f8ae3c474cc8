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
     * reading all of them cost {@code predict} about 50 ms (its last class loaded at 0.29 s against 0.23 s,
     * {@code PANAMA_MLP_OPTS=-Xlog:class+load:file=cl.log:uptime}; picocli's classes are too old a class
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
     * Runs the command line. Every throwable a command ends with, {@link Error}s included, becomes one line
     * on {@code err} (the stack trace follows only with {@code --verbose}).
     *
     * @param out  where commands print their results
     * @param err  where errors and usage messages go
     * @param args the arguments, e.g. {@code train --epochs 1}
     * @return the exit code: 0 ok, 1 failure, 2 bad usage (130 and 143, interrupted by SIGINT and SIGTERM,
     *         come from the JVM, which exits with them once its shutdown hooks have run)
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        boolean verboseArg = java.util.Arrays.asList(args).contains("--verbose");
        try {
            Integer fast = FastPath.run(out, err, args);
            return fast != null ? fast : executeWithPicocli(out, err, args);
        } catch (Throwable t) {
            // What picocli lets through: Errors (OutOfMemoryError, UnsatisfiedLinkError, ExceptionInInitializerError…).
            try {
                return report(err, t, verboseArg);
            } catch (Throwable reporting) {
                return 1; // e.g. out of memory again while printing: the exit code still tells
            }
        }
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
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(commandLine.getErr(), ex,
                parseResult.hasMatchedOption("--verbose")
                        || parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose")));
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("panama-mlp: " + oneLine(ex));
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    /** Reports a command's failure: one line, the stack trace with --verbose; returns the exit code 1. */
    static int report(PrintWriter err, Throwable ex, boolean verbose) {
        err.println("panama-mlp: " + oneLine(ex));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The message of an error, on one line, without the exception's class name when it has a message. */
    static String oneLine(Throwable ex) {
        Throwable cause = ex;
        // Wrappers whose own message says nothing: what went wrong is their cause.
        while (cause.getCause() != null && (cause instanceof ExceptionInInitializerError
                || cause instanceof java.lang.reflect.InvocationTargetException
                || cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof CommandLine.ExecutionException)) {
            cause = cause.getCause();
        }
        String msg = cause.getMessage();
        // The JDK's file exceptions carry only the path as their message: say what is wrong with it.
        if (cause instanceof java.nio.file.NoSuchFileException) {
            return msg + ": no such file";
        }
        if (cause instanceof java.nio.file.AccessDeniedException) {
            return msg + ": permission denied";
        }
        if (cause instanceof java.nio.file.NotDirectoryException) {
            return msg + ": not a directory";
        }
        if (cause instanceof java.nio.file.FileAlreadyExistsException) {
            return msg + ": already exists";
        }
        if (cause instanceof OutOfMemoryError) {
            return "out of memory (" + (msg == null ? "OutOfMemoryError" : msg) + "): give the JVM more with"
                    + " PANAMA_MLP_OPTS=-Xmx… (heap) or use a smaller network";
        }
        if (msg == null || msg.isBlank()) {
            msg = cause.getClass().getSimpleName();
        } else if (cause instanceof Error && !(cause instanceof AssertionError)) {
            msg = cause.getClass().getSimpleName() + ": " + msg; // e.g. UnsatisfiedLinkError: the kind matters
        }
        return msg.replace('\n', ' ').replaceAll("\\s+", " ").trim();
    }

    /**
     * Runs the command line on standard output and error, and exits with its exit code. Characters the
     * console's charset cannot show (box lines, arrows, × under {@code LANG=C}) are written as ASCII.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(ConsoleText.writer(System.out), true);
        PrintWriter err = new PrintWriter(ConsoleText.writer(System.err), true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
