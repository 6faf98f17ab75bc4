//! Package databases as data: Debian (bookworm; Ubuntu jammy and bullseye share the table) and
//! Alpine 3.19 packages with versions, installed and download sizes, dependencies, recommends and
//! the files they put in the tree. Files are `path`, `path=label` (what program it is, `{v}` the
//! upstream version, `{mm}` its major.minor) or `path->target` (a symlink). The first file carries
//! the package's bulk size.

/// One package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub installed_kb: u64,
    pub download_kb: u64,
    pub depends: Vec<String>,
    pub recommends: Vec<String>,
    pub files: Vec<String>,
}

impl Package {
    /// `1:2.39.2-1.1` → `2.39.2`; `18.19.0+dfsg-6~deb12u1` → `18.19.0`; `8.5.0-r0` → `8.5.0`.
    pub fn upstream(&self) -> String {
        let without_epoch = self.version.split_once(':').map_or(self.version.as_str(), |(_, v)| v);
        let main = without_epoch.split('-').next().unwrap_or(without_epoch);
        main.split(['+', '~', '_']).next().unwrap_or(main).to_string()
    }

    pub fn major_minor(&self) -> String {
        let up = self.upstream();
        let mut parts = up.split('.');
        match (parts.next(), parts.next()) {
            (Some(a), Some(b)) => format!("{a}.{b}"),
            _ => up,
        }
    }

    /// Expands `{v}`/`{mm}` in a file spec.
    pub fn expand(&self, spec: &str) -> String {
        spec.replace("{mm}", &self.major_minor()).replace("{v}", &self.upstream())
    }
}

/// name|version|installed kB|download kB|depends|recommends|files
const DEBIAN: &str = "\
apt-transport-https|2.6.1|40|25|||/usr/share/doc/apt-transport-https/copyright
bash|5.2.15-2+b2|7000|1500|||/bin/bash=bash {v}
binutils|2.40-2|600|65|binutils-x86-64-linux-gnu,libbinutils,libctf0,libgprofng0,libjansson4||/usr/bin/ld->x86_64-linux-gnu-ld
binutils-x86-64-linux-gnu|2.40-2|10800|2200|||/usr/bin/x86_64-linux-gnu-ld=ld {v}
build-essential|12.9|20|7|gcc,g++,make,libc6-dev,dpkg-dev||/usr/share/build-essential/list
bzip2|1.0.8-5+b1|120|49|||/bin/bzip2=bzip2 {v}
ca-certificates|20230311|400|153|openssl||/etc/ssl/certs/ca-certificates.crt,/usr/sbin/update-ca-certificates=update-ca-certificates
cpp|4:12.2.0-3|20|7|cpp-12||/usr/bin/cpp->cpp-12
cpp-12|12.2.0-14|30000|9800|libisl23,libmpc3,libmpfr6||/usr/bin/cpp-12=cpp {v}
curl|7.88.1-10+deb12u5|500|315|libcurl4|ca-certificates|/usr/bin/curl=curl {v}
dirmngr|2.2.40-1.1|1100|793|gpgconf,libldap-2.5-0||/usr/bin/dirmngr=dirmngr {v}
dnsutils|1:9.18.24-1|20|14|bind9-dnsutils||/usr/share/doc/dnsutils/copyright
bind9-dnsutils|1:9.18.24-1|700|400|bind9-libs||/usr/bin/dig=dig {v},/usr/bin/nslookup=nslookup {v},/usr/bin/host=host {v}
bind9-libs|1:9.18.24-1|4200|1400|libuv1,libjson-c5,liblmdb0,libmaxminddb0,libfstrm0,libprotobuf-c1,libnghttp2-14||/usr/lib/x86_64-linux-gnu/libisc-9.18.24.so
dpkg-dev|1.21.22|3000|1300|patch,xz-utils,bzip2,libdpkg-perl,make,binutils||/usr/bin/dpkg-buildpackage=dpkg-buildpackage {v}
dumb-init|1.2.5-2|70|13|||/usr/bin/dumb-init=dumb-init {v}
g++|4:12.2.0-3|20|1|g++-12,gcc||/usr/bin/g++->g++-12
g++-12|12.2.0-14|36000|10700|gcc-12,libstdc++-12-dev||/usr/bin/g++-12=g++ {v}
gcc|4:12.2.0-3|50|5|cpp,gcc-12|libc6-dev|/usr/bin/gcc->gcc-12
gcc-12|12.2.0-14|68000|19300|cpp-12,binutils,libgcc-12-dev,libisl23,libmpc3,libmpfr6|libc6-dev|/usr/bin/gcc-12=gcc {v}
git|1:2.39.2-1.1|36000|7200|git-man,libcurl3-gnutls,liberror-perl,perl|ca-certificates,patch,less,openssh-client|/usr/bin/git=git {v}
git-man|1:2.39.2-1.1|2000|2000|||/usr/share/man/man1/git.1.gz
gnupg|2.2.40-1.1|900|846|dirmngr,gpg,gpg-agent||/usr/bin/gpg-zip=gpg-zip {v}
gosu|1.14-1+b10|2300|969|||/usr/sbin/gosu=gosu {v}
gpg|2.2.40-1.1|1600|949|gpgconf||/usr/bin/gpg=gpg {v}
gpg-agent|2.2.40-1.1|1000|695|gpgconf||/usr/bin/gpg-agent=gpg-agent {v}
gpgconf|2.2.40-1.1|400|564|||/usr/bin/gpgconf=gpgconf {v}
htop|3.2.2-2|400|152|libnl-3-200,libnl-genl-3-200||/usr/bin/htop=htop {v}
iproute2|6.1.0-3|3000|1040|libbpf1,libelf1,libmnl0,libxtables12||/bin/ip=ip {v},/bin/ss=ss {v}
iputils-ping|3:20221126-1|120|47|libcap2-bin||/usr/bin/ping=ping {v}
jq|1.6-2.1|100|64|libjq1||/usr/bin/jq=jq {v}
less|590-2.1~deb12u1|400|132|||/usr/bin/less=less {v}
libasan8|12.2.0-14|6100|2100|||/usr/lib/x86_64-linux-gnu/libasan.so.8
libatomic1|12.2.0-14|40|9|||/usr/lib/x86_64-linux-gnu/libatomic.so.1
libbinutils|2.40-2|2700|570|||/usr/lib/x86_64-linux-gnu/libbfd-2.40-system.so
libbpf1|1:1.1.0-1|400|145|||/usr/lib/x86_64-linux-gnu/libbpf.so.1
libbrotli1|1.0.9-2+b6|800|275|||/usr/lib/x86_64-linux-gnu/libbrotli.so.1
libc-dev-bin|2.36-9+deb12u4|120|47|||/usr/bin/ldd=ldd {v}
libc6-dev|2.36-9+deb12u4|12000|1900|libc-dev-bin,linux-libc-dev,libcrypt-dev,libnsl-dev,rpcsvc-proto||/usr/include/stdio.h
libcap2-bin|1:2.66-4|120|34|||/sbin/setcap=setcap {v}
libcc1-0|12.2.0-14|150|41|||/usr/lib/x86_64-linux-gnu/libcc1.so.0
libcrypt-dev|1:4.4.33-2|300|122|||/usr/include/crypt.h
libctf0|2.40-2|200|83|||/usr/lib/x86_64-linux-gnu/libctf.so.0
libcurl3-gnutls|7.88.1-10+deb12u5|1000|385|libbrotli1,libnghttp2-14,libpsl5,librtmp1,libssh2-1,libldap-2.5-0,libgssapi-krb5-2||/usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4
libcurl4|7.88.1-10+deb12u5|1000|390|libbrotli1,libnghttp2-14,libpsl5,librtmp1,libssh2-1,libldap-2.5-0,libgssapi-krb5-2||/usr/lib/x86_64-linux-gnu/libcurl.so.4
libdpkg-perl|1.21.22|2000|1600|perl||/usr/share/perl5/Dpkg.pm
libelf1|0.188-2.1|1000|175|||/usr/lib/x86_64-linux-gnu/libelf.so.1
liberror-perl|0.17029-2|40|29|perl||/usr/share/perl5/Error.pm
libffi-dev|3.4.4-1|400|56|||/usr/include/x86_64-linux-gnu/ffi.h
libfstrm0|0.6.1-1|70|21|||/usr/lib/x86_64-linux-gnu/libfstrm.so.0
libgcc-12-dev|12.2.0-14|8000|2400|libasan8,libatomic1,libcc1-0,libgomp1,libitm1,liblsan0,libquadmath0,libtsan2,libubsan1||/usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a
libgdbm-compat4|1.23-3|60|48|||/usr/lib/x86_64-linux-gnu/libgdbm_compat.so.4
libgdbm6|1.23-3|120|72|||/usr/lib/x86_64-linux-gnu/libgdbm.so.6
libgomp1|12.2.0-14|350|116|||/usr/lib/x86_64-linux-gnu/libgomp.so.1
libgprofng0|2.40-2|3000|808|||/usr/lib/x86_64-linux-gnu/libgprofng.so.0
libgssapi-krb5-2|1.20.1-2+deb12u1|430|135|libkrb5-3,libk5crypto3,libkrb5support0,libkeyutils1||/usr/lib/x86_64-linux-gnu/libgssapi_krb5.so.2
libisl23|0.25-1.1|3600|676|||/usr/lib/x86_64-linux-gnu/libisl.so.23
libitm1|12.2.0-14|110|26|||/usr/lib/x86_64-linux-gnu/libitm.so.1
libjansson4|2.14-2|100|40|||/usr/lib/x86_64-linux-gnu/libjansson.so.4
libjpeg-dev|1:2.1.5-2|20|71|libjpeg62-turbo-dev||/usr/share/doc/libjpeg-dev/copyright
libjpeg62-turbo|1:2.1.5-2|600|166|||/usr/lib/x86_64-linux-gnu/libjpeg.so.62
libjpeg62-turbo-dev|1:2.1.5-2|700|293|libjpeg62-turbo||/usr/include/jpeglib.h
libjq1|1.6-2.1|400|135|libonig5||/usr/lib/x86_64-linux-gnu/libjq.so.1
libjson-c5|0.16-2|100|44|||/usr/lib/x86_64-linux-gnu/libjson-c.so.5
libk5crypto3|1.20.1-2+deb12u1|300|78|||/usr/lib/x86_64-linux-gnu/libk5crypto.so.3
libkeyutils1|1.6.3-2|50|8|||/usr/lib/x86_64-linux-gnu/libkeyutils.so.1
libkrb5-3|1.20.1-2+deb12u1|1100|332|||/usr/lib/x86_64-linux-gnu/libkrb5.so.3
libkrb5support0|1.20.1-2+deb12u1|100|32|||/usr/lib/x86_64-linux-gnu/libkrb5support.so.0
libldap-2.5-0|2.5.13+dfsg-5|600|183|libsasl2-2||/usr/lib/x86_64-linux-gnu/libldap-2.5.so.0
liblmdb0|0.9.24-1|100|45|||/usr/lib/x86_64-linux-gnu/liblmdb.so.0
liblsan0|12.2.0-14|2900|966|||/usr/lib/x86_64-linux-gnu/liblsan.so.0
libmaxminddb0|1.7.1-1|80|29|||/usr/lib/x86_64-linux-gnu/libmaxminddb.so.0
libmnl0|1.0.4-3|50|12|||/usr/lib/x86_64-linux-gnu/libmnl.so.0
libmpc3|1.3.1-1|150|51|||/usr/lib/x86_64-linux-gnu/libmpc.so.3
libmpfr6|4.2.0-1|1200|701|||/usr/lib/x86_64-linux-gnu/libmpfr.so.6
libnghttp2-14|1.52.0-1+deb12u1|200|72|||/usr/lib/x86_64-linux-gnu/libnghttp2.so.14
libnl-3-200|3.7.0-0.2+b1|160|61|||/usr/lib/x86_64-linux-gnu/libnl-3.so.200
libnl-genl-3-200|3.7.0-0.2+b1|50|21|||/usr/lib/x86_64-linux-gnu/libnl-genl-3.so.200
libnode108|18.19.0+dfsg-6~deb12u1|56000|11200|libuv1,libbrotli1,libnghttp2-14||/usr/lib/x86_64-linux-gnu/libnode.so.108
libnsl-dev|1.3.0-2|200|66|||/usr/include/rpcsvc/nis.h
libonig5|6.9.8-1|700|188|||/usr/lib/x86_64-linux-gnu/libonig.so.5
libperl5.36|5.36.0-7+deb12u1|28000|4200|perl-modules-5.36,libgdbm6,libgdbm-compat4||/usr/lib/x86_64-linux-gnu/libperl.so.5.36
libpq-dev|15.6-0+deb12u1|700|146|libpq5,libssl-dev||/usr/bin/pg_config=pg_config {v}
libpq5|15.6-0+deb12u1|900|192|libgssapi-krb5-2,libldap-2.5-0||/usr/lib/x86_64-linux-gnu/libpq.so.5
libprotobuf-c1|1.4.1-1+b1|70|27|||/usr/lib/x86_64-linux-gnu/libprotobuf-c.so.1
libpsl5|0.21.2-1|100|58|||/usr/lib/x86_64-linux-gnu/libpsl.so.5
libpython3.11-dev|3.11.2-6|22000|4700|||/usr/lib/x86_64-linux-gnu/libpython3.11.a
libpython3.11-minimal|3.11.2-6|5000|816|||/usr/lib/python3.11/os.py
libpython3.11-stdlib|3.11.2-6|8000|1800|libpython3.11-minimal,libsqlite3-0||/usr/lib/python3.11/json/__init__.py
libquadmath0|12.2.0-14|300|145|||/usr/lib/x86_64-linux-gnu/libquadmath.so.0
librtmp1|2.4+20151223.gitfa8646d.1-2+b2|150|60|||/usr/lib/x86_64-linux-gnu/librtmp.so.1
libsasl2-2|2.1.28+dfsg-10|150|57|libsasl2-modules-db||/usr/lib/x86_64-linux-gnu/libsasl2.so.2
libsasl2-modules-db|2.1.28+dfsg-10|100|20|||/usr/lib/x86_64-linux-gnu/sasl2/libsasldb.so.2
libsqlite3-0|3.40.1-2|1600|838|||/usr/lib/x86_64-linux-gnu/libsqlite3.so.0
libssh2-1|1.10.0-3+b1|400|179|||/usr/lib/x86_64-linux-gnu/libssh2.so.1
libssl-dev|3.0.11-1~deb12u2|12000|2400|||/usr/include/openssl/ssl.h
libstdc++-12-dev|12.2.0-14|18000|2000|||/usr/include/c++/12/iostream
libtsan2|12.2.0-14|5500|2200|||/usr/lib/x86_64-linux-gnu/libtsan.so.2
libubsan1|12.2.0-14|2200|883|||/usr/lib/x86_64-linux-gnu/libubsan.so.1
libuv1|1.44.2-1|300|140|||/usr/lib/x86_64-linux-gnu/libuv.so.1
libxml2|2.9.14+dfsg-1.3~deb12u1|2000|687|||/usr/lib/x86_64-linux-gnu/libxml2.so.2
libxml2-dev|2.9.14+dfsg-1.3~deb12u1|3000|781|libxml2||/usr/include/libxml2/libxml/parser.h
libxtables12|1.8.9-2|100|30|||/usr/lib/x86_64-linux-gnu/libxtables.so.12
linux-libc-dev|6.1.76-1|7000|2000|||/usr/include/linux/version.h
locales|2.36-9+deb12u4|16000|3800|||/usr/share/i18n/SUPPORTED
lsb-release|12.0-1|50|6|||/usr/bin/lsb_release=lsb_release {v}
make|4.3-4.1|1500|396|||/usr/bin/make=make {v}
nano|7.2-1|2800|690|||/bin/nano=nano {v}
net-tools|2.10-0.1|1000|243|||/bin/netstat=netstat {v},/sbin/ifconfig=ifconfig {v}
netcat-openbsd|1.219-1|100|41|libbsd0||/bin/nc.openbsd=nc {v},/bin/nc->nc.openbsd
libbsd0|0.11.7-2|300|117|libmd0||/usr/lib/x86_64-linux-gnu/libbsd.so.0
libmd0|1.0.4-2|80|28|||/usr/lib/x86_64-linux-gnu/libmd.so.0
nginx|1.22.1-9|1200|527|nginx-common||/usr/sbin/nginx=nginx {v}
nginx-common|1.22.1-9|300|112|||/etc/nginx/nginx.conf
nodejs|18.19.0+dfsg-6~deb12u1|1300|320|libnode108|ca-certificates,nodejs-doc|/usr/bin/node=node {v},/usr/bin/nodejs->node
nodejs-doc|18.19.0+dfsg-6~deb12u1|12000|3200|||/usr/share/doc/nodejs/api/index.html
npm|9.2.0~ds1-1|62000|2200|nodejs||/usr/bin/npm=npm {v}
openssh-client|1:9.2p1-2+deb12u2|5000|992|libedit2,libcbor0.8,libfido2-1||/usr/bin/ssh=ssh {v},/usr/bin/scp=scp {v},/usr/bin/ssh-keygen=ssh-keygen {v}
libedit2|3.1-20221030-2|250|88|||/usr/lib/x86_64-linux-gnu/libedit.so.2
libcbor0.8|0.8.0-2+b1|80|27|||/usr/lib/x86_64-linux-gnu/libcbor.so.0.8
libfido2-1|1.12.0-2+b1|200|77|||/usr/lib/x86_64-linux-gnu/libfido2.so.1
openssl|3.0.11-1~deb12u2|2300|1400|||/usr/bin/openssl=openssl {v}
patch|2.7.6-7|250|128|||/usr/bin/patch=patch {v}
perl|5.36.0-7+deb12u1|700|239|perl-modules-5.36,libperl5.36||/usr/bin/perl=perl {v}
perl-modules-5.36|5.36.0-7+deb12u1|17000|2800|||/usr/share/perl/5.36/strict.pm
pkg-config|1.8.1-1|80|13|pkgconf||/usr/bin/pkg-config->pkgconf
pkgconf|1.8.1-1|150|26|||/usr/bin/pkgconf=pkgconf {v}
postgresql-client|15+248|70|16|postgresql-client-15||/usr/share/doc/postgresql-client/copyright
postgresql-client-15|15.6-0+deb12u1|6000|1700|libpq5,postgresql-client-common||/usr/lib/postgresql/15/bin/psql=psql {v},/usr/bin/psql->../share/postgresql-common/pg_wrapper,/usr/bin/pg_isready->../share/postgresql-common/pg_wrapper,/usr/bin/pg_dump->../share/postgresql-common/pg_wrapper
postgresql-client-common|248|200|35|||/usr/share/postgresql-common/pg_wrapper=pg_wrapper {v}
procps|2:4.0.2-3|2000|709|libproc2-0||/usr/bin/ps=ps {v},/usr/bin/top=top {v},/usr/bin/free=free {v},/usr/bin/pkill=pkill {v},/usr/bin/pgrep=pgrep {v}
libproc2-0|2:4.0.2-3|200|62|||/usr/lib/x86_64-linux-gnu/libproc2.so.0
python3|3.11.2-1+b1|500|26|python3.11,libpython3-stdlib||/usr/bin/python3->python{mm}
libpython3-stdlib|3.11.2-1+b1|40|9|libpython3.11-stdlib||/usr/share/doc/libpython3-stdlib/copyright
python3.11|3.11.2-6|700|573|python3.11-minimal,libpython3.11-stdlib||/usr/share/doc/python3.11/copyright
python3.11-minimal|3.11.2-6|6000|2000|libpython3.11-minimal||/usr/bin/python3.11=cpython {v}
python3-dev|3.11.2-1+b1|40|26|python3.11-dev||/usr/share/doc/python3-dev/copyright
python3.11-dev|3.11.2-6|1000|497|libpython3.11-dev||/usr/include/python3.11/Python.h
python3-pip|23.0.1+dfsg-1|7000|1325|python3-setuptools,python3-wheel,python3|build-essential,python3-dev|/usr/bin/pip3=pip {v},/usr/bin/pip->pip3
python3-setuptools|66.1.1-1|3000|522|python3-pkg-resources||/usr/lib/python3/dist-packages/setuptools/__init__.py
python3-pkg-resources|66.1.1-1|900|296|||/usr/lib/python3/dist-packages/pkg_resources/__init__.py
python3-wheel|0.38.4-2|150|33|||/usr/lib/python3/dist-packages/wheel/__init__.py
python3-venv|3.11.2-1+b1|20|1|python3.11-venv||/usr/share/doc/python3-venv/copyright
python3.11-venv|3.11.2-6|2900|5900|||/usr/lib/python3.11/ensurepip/__init__.py
rpcsvc-proto|1.4.3-1|200|63|||/usr/bin/rpcgen=rpcgen {v}
software-properties-common|0.99.30-4|300|58|python3||/usr/bin/add-apt-repository=add-apt-repository {v}
sudo|1.9.13p3-1+deb12u1|6000|1900|||/usr/bin/sudo=sudo {v}
supervisor|4.2.5-1|1800|310|python3||/usr/bin/supervisord=supervisord {v}
tini|0.19.0-1|900|255|||/usr/bin/tini=tini {v},/usr/bin/tini-static=tini {v}
tzdata|2024a-0+deb12u1|3000|255|||/usr/share/zoneinfo/UTC
unzip|6.0-28|400|166|||/usr/bin/unzip=unzip {v}
vim|2:9.0.1378-2|3900|1567|vim-runtime,vim-common,libgpm2,libsodium23||/usr/bin/vim.basic=vim {v},/usr/bin/vim->vim.basic
vim-common|2:9.0.1378-2|300|125|||/usr/share/vim/vimrc
vim-runtime|2:9.0.1378-2|37000|7000|||/usr/share/vim/vim90/defaults.vim
libgpm2|1.20.7-10+b1|60|14|||/usr/lib/x86_64-linux-gnu/libgpm.so.2
libsodium23|1.0.18-1|350|161|||/usr/lib/x86_64-linux-gnu/libsodium.so.23
wget|1.21.3-1+b2|3600|984|libpsl5|ca-certificates|/usr/bin/wget=wget {v}
xz-utils|5.4.1-0.2|1200|473|||/usr/bin/xz=xz {v}
zip|3.0-13|600|230|||/usr/bin/zip=zip {v}
zlib1g-dev|1:1.2.13.dfsg-1|600|916|||/usr/include/zlib.h
default-libmysqlclient-dev|1.1.0|20|3|libmariadb-dev||/usr/share/doc/default-libmysqlclient-dev/copyright
libmariadb-dev|1:10.11.6-0+deb12u1|800|281|libssl-dev,zlib1g-dev||/usr/bin/mariadb_config=mariadb_config {v}
";

/// What every Debian-family base image already has installed (name, version).
const DEBIAN_BASE: &str = "adduser 3.134|apt 2.6.1|base-files 12.4+deb12u5|base-passwd 3.6.1|bash 5.2.15-2+b2|bsdutils 1:2.38.1-5+b1|coreutils 9.1-1|dash 0.5.12-2|debconf 1.5.82|debian-archive-keyring 2023.3+deb12u1|debianutils 5.7-0.5~deb12u1|diffutils 1:3.8-4|dpkg 1.21.22|findutils 4.9.0-4|gcc-12-base 12.2.0-14|gpgv 2.2.40-1.1|grep 3.8-5|gzip 1.12-1|hostname 3.23+nmu1|init-system-helpers 1.65.2|libacl1 2.3.1-3|libapt-pkg6.0 2.6.1|libattr1 1:2.5.1-4|libaudit1 1:3.0.9-1|libblkid1 2.38.1-5+b1|libbz2-1.0 1.0.8-5+b1|libc-bin 2.36-9+deb12u4|libc6 2.36-9+deb12u4|libcap-ng0 0.8.3-1+b3|libcap2 1:2.66-4|libcrypt1 1:4.4.33-2|libdb5.3 5.3.28+dfsg2-1|libdebconfclient0 0.270|libffi8 3.4.4-1|libgcc-s1 12.2.0-14|libgcrypt20 1.10.1-3|libgmp10 2:6.2.1+dfsg1-1.1|libgnutls30 3.7.9-2+deb12u2|libgpg-error0 1.46-1|libhogweed6 3.8.1-2|libidn2-0 2.3.3-1+b1|liblz4-1 1.9.4-1|liblzma5 5.4.1-0.2|libmd0 1.0.4-2|libmount1 2.38.1-5+b1|libnettle8 3.8.1-2|libp11-kit0 0.24.1-2|libpam-modules 1.5.2-6+deb12u1|libpam-runtime 1.5.2-6+deb12u1|libpam0g 1.5.2-6+deb12u1|libpcre2-8-0 10.42-1|libseccomp2 2.5.4-1+b3|libselinux1 3.4-1+b6|libsemanage2 3.4-1+b5|libsepol2 3.4-2.1|libsmartcols1 2.38.1-5+b1|libssl3 3.0.11-1~deb12u2|libstdc++6 12.2.0-14|libsystemd0 252.22-1~deb12u1|libtasn1-6 4.19.0-2|libtinfo6 6.4-4|libudev1 252.22-1~deb12u1|libunistring2 1.0-2|libuuid1 2.38.1-5+b1|libxxhash0 0.8.1-1|libzstd1 1.5.4+dfsg2-5|login 1:4.13+dfsg1-1+b1|mawk 1.3.4.20200120-3.1|mount 2.38.1-5+b1|ncurses-base 6.4-4|ncurses-bin 6.4-4|passwd 1:4.13+dfsg1-1+b1|perl-base 5.36.0-7+deb12u1|sed 4.9-1|sysvinit-utils 3.06-4|tar 1.34+dfsg-1.2+deb12u1|tzdata 2024a-0+deb12u1|usr-is-merged 37~deb12u1|util-linux 2.38.1-5+b1|zlib1g 1:1.2.13.dfsg-1";

/// name|version|installed kB|depends|files
const ALPINE: &str = "\
bash|5.2.21-r0|1300|readline,ncurses-terminfo-base|/bin/bash=bash {v}
binutils|2.41-r0|7000|libctf,jansson,zstd-libs|/usr/bin/ld=ld {v}
bind-tools|9.18.24-r0|500|bind-libs|/usr/bin/dig=dig {v},/usr/bin/nslookup=nslookup {v},/usr/bin/host=host {v}
bind-libs|9.18.24-r0|3800|libuv,json-c,nghttp2-libs|/usr/lib/libisc-9.18.24.so
brotli-libs|1.1.0-r1|800||/usr/lib/libbrotlicommon.so.1
build-base|0.5-r3|1|binutils,file,fortify-headers,g++,gcc,libc-dev,make,patch|/usr/share/doc/build-base
c-ares|1.24.0-r1|200||/usr/lib/libcares.so.2
ca-certificates|20240226-r0|700||/usr/sbin/update-ca-certificates=update-ca-certificates,/etc/ssl/certs/ca-certificates.crt
curl|8.5.0-r0|300|ca-certificates,brotli-libs,c-ares,libcurl,libidn2,libpsl,nghttp2-libs,libunistring|/usr/bin/curl=curl {v}
dumb-init|1.2.5-r3|40||/usr/bin/dumb-init=dumb-init {v}
file|5.45-r1|150|libmagic|/usr/bin/file=file {v}
fortify-headers|1.1-r3|100||/usr/include/fortify/stdio.h
g++|13.2.1_git20231014-r0|30000|gcc,libstdc++-dev|/usr/bin/g++=g++ {v}
gcc|13.2.1_git20231014-r0|50000|binutils,libgcc,libstdc++,libgomp,libatomic,gmp,isl26,mpc1,mpfr4,zstd-libs|/usr/bin/gcc=gcc {v}
gcompat|1.1.0-r4|60|libucontext|/lib/ld-linux-x86-64.so.2
git|2.43.0-r0|13000|libcurl,libexpat,pcre2,zlib|/usr/bin/git=git {v}
gmp|6.3.0-r0|400||/usr/lib/libgmp.so.10
go|1.21.8-r0|180000||/usr/lib/go/bin/go=go {v},/usr/bin/go->../lib/go/bin/go
icu-data-en|74.1-r0|2800||/usr/share/icu/74.1/icudt74l.dat
icu-libs|74.1-r0|6500|icu-data-en|/usr/lib/libicuuc.so.74
isl26|0.26-r1|2300||/usr/lib/libisl.so.23
jansson|2.14-r4|80||/usr/lib/libjansson.so.4
jq|1.7.1-r0|300|oniguruma|/usr/bin/jq=jq {v}
json-c|0.17-r0|80||/usr/lib/libjson-c.so.5
libatomic|13.2.1_git20231014-r0|40||/usr/lib/libatomic.so.1
libc-dev|0.7.2-r5|1|musl-dev|/usr/share/doc/libc-dev
libc6-compat|1.2.4_git20230717-r4|10||/lib64/ld-linux-x86-64.so.2
libctf|2.41-r0|200||/usr/lib/libctf.so.0
libcurl|8.5.0-r0|600|brotli-libs,c-ares,libidn2,libpsl,nghttp2-libs|/usr/lib/libcurl.so.4
libexpat|2.6.2-r0|200||/usr/lib/libexpat.so.1
libffi-dev|3.4.4-r3|100||/usr/include/ffi.h
libgcc|13.2.1_git20231014-r0|170||/usr/lib/libgcc_s.so.1
libgomp|13.2.1_git20231014-r0|300||/usr/lib/libgomp.so.1
libidn2|2.3.4-r4|300|libunistring|/usr/lib/libidn2.so.0
libmagic|5.45-r1|7000||/usr/share/misc/magic.mgc
libpq|16.2-r0|400||/usr/lib/libpq.so.5
libpq-dev|16.2-r0|3000|libpq,openssl-dev|/usr/bin/pg_config=pg_config {v}
libpsl|0.21.5-r0|50||/usr/lib/libpsl.so.5
libstdc++|13.2.1_git20231014-r0|2600||/usr/lib/libstdc++.so.6
libstdc++-dev|13.2.1_git20231014-r0|17000|libstdc++|/usr/include/c++/13.2.1/iostream
libucontext|1.2-r2|20||/lib/libucontext.so.1
libunistring|1.1-r2|1700||/usr/lib/libunistring.so.5
libuv|1.47.0-r0|200||/usr/lib/libuv.so.1
make|4.4.1-r2|270||/usr/bin/make=make {v}
mpc1|1.3.1-r1|100||/usr/lib/libmpc.so.3
mpfr4|4.2.1-r0|500||/usr/lib/libmpfr.so.6
musl-dev|1.2.4_git20230717-r4|10000||/usr/include/stdio.h
nano|7.2-r1|600|libncursesw|/usr/bin/nano=nano {v}
libncursesw|6.4_p20231125-r0|400|ncurses-terminfo-base|/usr/lib/libncursesw.so.6
ncurses-terminfo-base|6.4_p20231125-r0|400||/etc/terminfo/x/xterm
netcat-openbsd|1.226-r0|80|libbsd|/usr/bin/nc=nc {v}
libbsd|0.11.7-r3|100|libmd|/usr/lib/libbsd.so.0
libmd|1.1.0-r0|80||/usr/lib/libmd.so.0
nghttp2-libs|1.58.0-r0|170||/usr/lib/libnghttp2.so.14
nginx|1.24.0-r15|1300|pcre|/usr/sbin/nginx=nginx {v}
pcre|8.45-r3|400||/usr/lib/libpcre.so.1
nodejs|20.12.1-r0|45000|ca-certificates,brotli-libs,c-ares,icu-libs,libuv,nghttp2-libs,libstdc++,libgcc|/usr/bin/node=node {v}
npm|10.2.5-r0|8000|nodejs|/usr/bin/npm=npm {v}
oniguruma|6.9.9-r0|600||/usr/lib/libonig.so.5
openssh-client|9.6_p1-r0|50|openssh-client-default|/usr/share/doc/openssh-client
openssh-client-default|9.6_p1-r0|1500||/usr/bin/ssh=ssh {v}
openssl|3.1.4-r5|1000||/usr/bin/openssl=openssl {v}
openssl-dev|3.1.4-r5|2500||/usr/include/openssl/ssl.h
patch|2.7.6-r10|150||/usr/bin/patch=patch {v}
pcre2|10.42-r2|700||/usr/lib/libpcre2-8.so.0
postgresql16-client|16.2-r0|2000|libpq|/usr/bin/psql=psql {v},/usr/bin/pg_isready=pg_isready {v},/usr/bin/pg_dump=pg_dump {v}
postgresql-client|16-r0|10|postgresql16-client|/usr/share/doc/postgresql-client
procps-ng|4.0.4-r0|1000|libproc2|/bin/ps=ps {v},/usr/bin/top=top {v}
procps|4.0.4-r0|10|procps-ng|/usr/share/doc/procps
libproc2|4.0.4-r0|100||/usr/lib/libproc2.so.0
py3-pip|23.3.1-r0|12000|python3|/usr/bin/pip3=pip {v},/usr/bin/pip->pip3
python3|3.11.8-r0|50000|libbz2,libexpat,libffi,gdbm,xz-libs,mpdecimal,libpanelw,readline,sqlite-libs|/usr/bin/python3.11=cpython {v},/usr/bin/python3->python3.11
python3-dev|3.11.8-r0|5000|python3|/usr/include/python3.11/Python.h
libbz2|1.0.8-r6|80||/usr/lib/libbz2.so.1
libffi|3.4.4-r3|50||/usr/lib/libffi.so.8
gdbm|1.23-r1|200||/usr/lib/libgdbm.so.6
xz-libs|5.4.5-r0|200||/usr/lib/liblzma.so.5
mpdecimal|2.5.1-r2|200||/usr/lib/libmpdec.so.3
libpanelw|6.4_p20231125-r0|20||/usr/lib/libpanelw.so.6
readline|8.2.1-r2|300|libncursesw|/usr/lib/libreadline.so.8
sqlite-libs|3.44.2-r0|1200||/usr/lib/libsqlite3.so.0
shadow|4.14.2-r0|1800||/usr/sbin/useradd=useradd {v},/usr/sbin/groupadd=groupadd {v},/usr/sbin/usermod=usermod {v}
su-exec|0.2-r3|20||/sbin/su-exec=su-exec {v}
sudo|1.9.15_p2-r0|3000||/usr/bin/sudo=sudo {v}
tini|0.19.0-r2|30||/sbin/tini=tini {v}
tzdata|2024a-r0|1500||/usr/share/zoneinfo/UTC
unzip|6.0-r14|300||/usr/bin/unzip=unzip {v}
vim|9.0.2127-r0|3200|xxd,libncursesw|/usr/bin/vim=vim {v}
xxd|9.0.2127-r0|20||/usr/bin/xxd=xxd {v}
wget|1.21.4-r0|500|libidn2,libunistring,pcre2|/usr/bin/wget=wget {v}
zip|3.0-r12|400||/usr/bin/zip=zip {v}
zstd-libs|1.5.5-r8|800||/usr/lib/libzstd.so.1
htop|3.2.2-r1|300|libncursesw|/usr/bin/htop=htop {v}
iputils|20221126-r2|200||/bin/ping=ping {v}
";

/// What every alpine base image already has (name, version, installed kB).
const ALPINE_BASE: &str = "alpine-baselayout 3.4.3-r2 20|alpine-baselayout-data 3.4.3-r2 20|alpine-keys 2.4-r1 10|apk-tools 2.14.0-r5 300|busybox 1.36.1-r15 900|busybox-binsh 1.36.1-r15 1|ca-certificates-bundle 20240226-r0 230|libc-utils 0.7.2-r5 1|libcrypto3 3.1.4-r5 4700|libssl3 3.1.4-r5 600|musl 1.2.4_git20230717-r4 650|musl-utils 1.2.4_git20230717-r4 150|scanelf 1.3.7-r2 80|ssl_client 1.36.1-r15 30|zlib 1.3.1-r0 100";

fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The Debian table (bookworm versions; shown for every Debian-family release).
pub fn debian() -> Vec<Package> {
    DEBIAN
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            Some(Package {
                name: f.first()?.to_string(),
                version: f.get(1)?.to_string(),
                installed_kb: f.get(2)?.parse().ok()?,
                download_kb: f.get(3)?.parse().ok()?,
                depends: split_list(f.get(4)?),
                recommends: split_list(f.get(5)?),
                files: split_list(f.get(6)?),
            })
        })
        .collect()
}

pub fn debian_base() -> Vec<(String, String)> {
    DEBIAN_BASE.split('|').filter_map(|e| e.split_once(' ')).map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

pub fn alpine() -> Vec<Package> {
    ALPINE
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            let installed_kb: u64 = f.get(2)?.parse().ok()?;
            Some(Package {
                name: f.first()?.to_string(),
                version: f.get(1)?.to_string(),
                installed_kb,
                download_kb: installed_kb * 2 / 5 + 1,
                depends: split_list(f.get(3)?),
                recommends: Vec::new(),
                files: split_list(f.get(4)?),
            })
        })
        .collect()
}

pub fn alpine_base() -> Vec<(String, String, u64)> {
    ALPINE_BASE
        .split('|')
        .filter_map(|e| {
            let mut parts = e.split(' ');
            Some((parts.next()?.to_string(), parts.next()?.to_string(), parts.next()?.parse().ok()?))
        })
        .collect()
}

/// Puts a package's files into the tree: programs get labels, the first file the bulk size.
pub fn install_files(sys: &mut super::Sys, package: &Package, flavor: &str) {
    let total = package.installed_kb * 1024;
    let count = package.files.len() as u64;
    let small = 24_000u64;
    let bulk = total.saturating_sub(small * count.saturating_sub(1)).max(1024);
    for (index, spec) in package.files.iter().enumerate() {
        let spec = package.expand(spec);
        if let Some((path, target)) = spec.split_once("->") {
            sys.fs.remove_all(path);
            sys.symlink(path, target);
            continue;
        }
        let (path, label) = match spec.split_once('=') {
            Some((path, label)) => (path.to_string(), Some(label.to_string())),
            None => (spec.clone(), None),
        };
        let size = if index == 0 { bulk } else { small };
        let executable = label.is_some();
        let label = match label {
            Some(label) => format!("{label} ({flavor} package {})", package.name),
            None => format!("{} {} {flavor} {}", package.name, package.version, crate::fs::file_name(&path)),
        };
        sys.fs.remove_all(&path);
        let mut meta = crate::fs::Meta::FILE;
        if executable {
            meta.mode = 0o755;
        }
        sys.mkdir_all(crate::fs::parent(&path));
        sys.fs.insert(&path, crate::fs::Node::blob(label, size, meta));
    }
}

/// Dependency closure of `wanted` (in request order, then dependencies breadth-first).
pub fn closure(table: &[Package], wanted: &[String], with_recommends: bool, installed: &dyn Fn(&str) -> bool) -> Vec<Package> {
    let mut order: Vec<Package> = Vec::new();
    let mut queue: std::collections::VecDeque<String> = wanted.iter().cloned().collect();
    let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) || order.len() > 500 {
            continue;
        }
        let Some(package) = table.iter().find(|p| p.name == name) else { continue };
        if installed(&name) && !wanted.contains(&name) {
            continue;
        }
        for dep in package.depends.iter().chain(if with_recommends { package.recommends.iter() } else { [].iter() }) {
            queue.push_back(dep.clone());
        }
        order.push(package.clone());
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_completely() {
        let debian = debian();
        assert_eq!(debian.len(), DEBIAN.lines().count());
        let alpine = alpine();
        assert_eq!(alpine.len(), ALPINE.lines().count());
        for package in debian.iter().chain(alpine.iter()) {
            assert!(!package.files.is_empty(), "{} has no files", package.name);
        }
        // Every dependency is itself in the table or in the base image.
        let base: Vec<String> = debian_base().into_iter().map(|(n, _)| n).collect();
        for package in &debian {
            for dep in package.depends.iter().chain(package.recommends.iter()) {
                assert!(debian.iter().any(|p| &p.name == dep) || base.contains(dep), "{} needs unknown {dep}", package.name);
            }
        }
        let alpine_base: Vec<String> = alpine_base().into_iter().map(|(n, _, _)| n).collect();
        for package in &alpine {
            for dep in &package.depends {
                assert!(alpine.iter().any(|p| &p.name == dep) || alpine_base.contains(dep), "{} needs unknown {dep}", package.name);
            }
        }
        let curl = debian.iter().find(|p| p.name == "git").unwrap();
        assert_eq!(curl.upstream(), "2.39.2");
    }
}
