package io.rocluster.serving;

import io.rocluster.RoclusterException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A client's Ethernet address, the key every boot loader uses to pick a per-client config. Written in
 * one canonical form (lower case, colons) wherever rocluster stores it, and turned into each loader's own
 * file name here, so the names pxelinux, GRUB and iPXE look for are defined once.
 *
 * @param text the address, canonical: six lower-case hex octets separated by colons
 */
public record MacAddress(String text) {

    private static final Pattern CANONICAL = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final Pattern ACCEPTED = Pattern.compile("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{12}");

    public MacAddress {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a canonical MAC address: " + text);
        }
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff}, {@code AA-BB-CC-DD-EE-FF} or {@code aabbccddeeff}.
     *
     * @throws RoclusterException naming the value and the accepted forms; also for a multicast or
     *                            all-zero address, which no network card boots with
     */
    public static MacAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!ACCEPTED.matcher(t).matches()) {
            throw new RoclusterException("'" + text + "' is not a MAC address: write six hex octets, "
                    + "e.g. 52:54:00:12:34:56");
        }
        String hex = t.replaceAll("[:-]", "").toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                b.append(':');
            }
            b.append(hex, i, i + 2);
        }
        if ((Integer.parseInt(hex.substring(0, 2), 16) & 1) != 0) {
            throw new RoclusterException("'" + text + "' is a multicast address, not a network card's: use the "
                    + "MAC the client's card boots with (its PXE screen shows it)");
        }
        if (hex.equals("000000000000")) {
            throw new RoclusterException("'" + text + "' is the all-zero address, not a network card's: use the "
                    + "MAC the client's card boots with (its PXE screen shows it)");
        }
        return new MacAddress(b.toString());
    }

    /** Lower case, dashes: {@code aa-bb-cc-dd-ee-ff} (iPXE's {@code ${mac:hexhyp}}). */
    public String dashes() {
        return text.replace(':', '-');
    }

    /**
     * The name pxelinux asks for under {@code pxelinux.cfg/} before {@code default}: the ARP hardware type
     * (01, Ethernet) and the address, lower case with dashes.
     */
    public String pxelinuxName() {
        return "01-" + dashes();
    }

    /**
     * The file GRUB's network boot tries in its prefix directory before {@code grub.cfg}
     * ({@code grub_net_search_config_file}: {@code grub.cfg-01-<mac>}, then IP-based names, then
     * {@code grub.cfg}), when its prefix is on TFTP as {@link PxeLoader}'s image has it.
     */
    public String grubName() {
        return "grub.cfg-01-" + dashes();
    }

    /** The script the master's {@code boot.ipxe} chains to for this client ({@link PxeConfigRenderer}). */
    public String ipxeName() {
        return "01-" + dashes() + ".ipxe";
    }

    @Override
    public String toString() {
        return text;
    }
}
