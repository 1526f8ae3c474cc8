package io.github.panamamlp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The {@code panama-mlp} command line: train, evaluate, predict, summary, bench. */
@Command(name = "panama-mlp", mixinStandardHelpOptions = true, version = "panama-mlp 0.1.0",
        description = "Trains and runs neural networks on the CPU with OpenBLAS through Java's FFM API.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

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
            CommandLine cl = new CommandLine(new Main());
            cl.setOut(out);
            cl.setErr(err);
            cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
                boolean verbose = parseResult.hasMatchedOption("--verbose")
                        || parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
                return report(commandLine.getErr(), ex, verbose);
            });
            cl.setParameterExceptionHandler((ex, args1) -> {
                CommandLine c = ex.getCommandLine();
                c.getErr().println("panama-mlp: " + oneLine(ex));
                c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
                c.getErr().flush();
                return 2;
            });
            return cl.execute(args);
        } catch (Throwable t) {
            // What picocli lets through: Errors (OutOfMemoryError, UnsatisfiedLinkError, ExceptionInInitializerError…).
            try {
                return report(err, t, verboseArg);
            } catch (Throwable reporting) {
                return 1; // e.g. out of memory again while printing: the exit code still tells
            }
        }
    }

    private static int report(PrintWriter err, Throwable ex, boolean verbose) {
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
