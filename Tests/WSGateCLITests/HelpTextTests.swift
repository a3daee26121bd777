import Testing
import WSGateConfig
@testable import WSGateCLI

@Suite(.timeLimit(.minutes(10))) struct HelpTextTests {
    let lines = HelpText.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    /// The lines of `flag`'s entry: its own line and any wrapped continuation lines.
    func entry(of flag: FlagSpec) -> String? {
        let head = "  " + HelpText.synopsis(of: flag)
        guard let start = lines.firstIndex(where: { $0 == head || $0.hasPrefix(head + " ") }) else {
            return nil
        }
        var text = lines[start]
        var index = start + 1
        while index < lines.count, lines[index].hasPrefix("      ") {
            text += " " + lines[index].drop { $0 == " " }
            index += 1
        }
        return text
    }

    @Test(arguments: FlagSpec.all.map(\.name))
    func everyFlagIsListedWithItsHelpDefaultAndAvailability(_ name: String) throws {
        let flag = try #require(FlagSpec.named(name))
        let text = try #require(entry(of: flag), "--\(name) missing from the help")
        #expect(text.contains(flag.help))
        if let defaultText = flag.defaultText {
            #expect(text.contains("(default: \(defaultText))"))
        }
        #expect(text.contains(HelpText.notYetAvailableMarker) == (flag.availability == .notYetAvailable))
        if flag.kind.takesValue {
            #expect(text.contains("--\(name)=\(flag.placeholder)"))
        }
    }

    @Test func noLineIsOver100Characters() {
        for line in lines {
            #expect(line.count <= 100, "\(line.count): \(line)")
        }
        #expect(lines.contains { $0.count > 60 }, "the help is suspiciously narrow")
    }

    @Test func usageFormsOfSpecAreShown() {
        for form in [
            "wsgate [OPTIONS] COMMAND [ARG...]", "wsgate [OPTIONS] --dir=DIR",
            "wsgate [OPTIONS] --tcp=HOST:PORT", "wsgate [OPTIONS] --unix=PATH",
            "wsgate [OPTIONS] --echo", "wsgate [OPTIONS] --staticdir=DIR | --cgidir=DIR | --devconsole",
        ] {
            #expect(lines.contains { $0.hasPrefix("  " + form) }, "missing usage: \(form)")
        }
        let echo = lines.first { $0.hasPrefix("  wsgate [OPTIONS] --echo") }
        #expect(echo?.contains(HelpText.notYetAvailableMarker) == false)
        let command = lines.first { $0.hasPrefix("  wsgate [OPTIONS] COMMAND") }
        #expect(command?.contains(HelpText.notYetAvailableMarker) == (FlagSpec.commandAvailability == .notYetAvailable))
    }

    @Test func groupsAppearInOrder() throws {
        var previous = -1
        for group in FlagGroup.allCases {
            let index = try #require(lines.firstIndex(of: group.title + ":"))
            #expect(index > previous)
            previous = index
        }
    }

    @Test func synopsisForms() throws {
        #expect(HelpText.synopsis(of: try #require(FlagSpec.named("port"))) == "--port=N")
        #expect(HelpText.synopsis(of: try #require(FlagSpec.named("echo"))) == "--echo")
        #expect(HelpText.synopsis(of: try #require(FlagSpec.named("help"))) == "-h, --help")
        #expect(HelpText.synopsis(of: try #require(FlagSpec.named("header"))) == "--header=\"K: V\"")
    }

    @Test func versionAndLicense() {
        #expect(Version.version == "0.1.0")
        #expect(Version.versionLine == "wsgate 0.1.0 (Swift, linux)")
        #expect(License.printout.hasPrefix("wsgate 0.1.0\n\nCopyright (c) 2026, the wsgate developers\n"))
        #expect(License.text.contains("Redistributions in binary form must reproduce"))
        #expect(License.text.split(separator: "\n").allSatisfy { $0.count < 80 })
    }

    @Test func flagNamesAreUnique() {
        let names = FlagSpec.all.flatMap { [$0.name] + $0.aliases }
        #expect(Set(names).count == names.count)
    }
}
