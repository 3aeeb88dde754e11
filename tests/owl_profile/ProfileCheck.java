import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RioTurtleDocumentFormat;
import org.semanticweb.owlapi.io.StringDocumentSource;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

/**
 * Reads the Turtle files named on the command line as one document (so that a term declared in
 * one file is known in the others) and prints its OWL 2 DL profile violations, one a line.
 * Exit status: 0 when there are none, 1 when there are some, 2 when the files cannot be read.
 */
public final class ProfileCheck {
    private ProfileCheck() {}

    public static void main(String[] args) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String name : args) {
            text.append(Files.readString(Path.of(name), StandardCharsets.UTF_8)).append('\n');
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology merged;
        try {
            merged = manager.loadOntologyFromOntologyDocument(
                    new StringDocumentSource(
                            text.toString(), "urn:tipgraph:profile-check", new RioTurtleDocumentFormat(), null));
        } catch (Exception error) {
            System.err.println(String.join(" ", args) + ": " + error.getMessage());
            System.exit(2);
            return;
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        List<String> lines = new ArrayList<>();
        for (OWLProfileViolation violation : report.getViolations()) {
            lines.add(violation.toString().replace('\n', ' '));
        }
        lines.sort(null);
        for (String line : lines) {
            System.out.println(line);
        }
        System.exit(lines.isEmpty() ? 0 : 1);
    }
}
